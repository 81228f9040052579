using System.Data.Common;

namespace Invoices;

/// <summary>
/// One row of <c>invoices</c>, as the database holds it (column names are the snake_case of these names), with the
/// select list that fills it: Dapper maps it by name, <see cref="Read"/> by position.
/// </summary>
internal sealed class InvoiceRow
{
    /// <summary>The select list that fills an <see cref="InvoiceRow"/>, shared by every query that returns invoices.</summary>
    internal const string Columns = """
        id, account_id, number, date, due_date, provider, nit, amount, currency, payment_method, category, description,
        status, paid_at, file_path, ocr_data::text AS ocr_data, ocr_confidence, created_at, updated_at, version, archived_at,
        created_by, created_by_email, updated_by, updated_by_email, kind, subtotal, discounts, charges, prepaid, rounding,
        taxes::text AS taxes, withholdings::text AS withholdings, withheld, cufe, refers_to_cufe, refers_to, document_sha256
        """;

    public Guid Id { get; init; }

    public required string AccountId { get; init; }

    public string? Number { get; init; }

    public DateOnly Date { get; init; }

    public DateOnly? DueDate { get; init; }

    public required string Provider { get; init; }

    public string? Nit { get; init; }

    public decimal Amount { get; init; }

    public required string Currency { get; init; }

    public string? PaymentMethod { get; init; }

    public required string Category { get; init; }

    public string? Description { get; init; }

    public required string Status { get; init; }

    public DateOnly? PaidAt { get; init; }

    public string? FilePath { get; init; }

    /// <summary>The jsonb column's text: written into responses as JSON, never re-parsed.</summary>
    public string? OcrData { get; init; }

    public double? OcrConfidence { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public int Version { get; init; }

    public DateTime? ArchivedAt { get; init; }

    /// <summary>The member who recorded it (the token's sub), and that member's verified email if the token had one.</summary>
    public required string CreatedBy { get; init; }

    public string? CreatedByEmail { get; init; }

    /// <summary>The member who changed it last, and that member's verified email if the token had one.</summary>
    public required string UpdatedBy { get; init; }

    public string? UpdatedByEmail { get; init; }

    /// <summary>invoice, credit_note or debit_note; a credit note's money is negative.</summary>
    public required string Kind { get; init; }

    public decimal? Subtotal { get; init; }

    public decimal? Discounts { get; init; }

    public decimal? Charges { get; init; }

    public decimal? Prepaid { get; init; }

    public decimal? Rounding { get; init; }

    /// <summary>The jsonb array's text, every value a string (<see cref="InvoiceTax.ToJson"/>); <c>[]</c> for most invoices.</summary>
    public required string Taxes { get; init; }

    public required string Withholdings { get; init; }

    /// <summary>The withholdings' sum; what is owed is <see cref="Payable"/>.</summary>
    public decimal Withheld { get; init; }

    public decimal Payable => Amount - Withheld;

    public string? Cufe { get; init; }

    /// <summary>A note's invoice: its CUFE as the note names it, and its id once that invoice is in the account.</summary>
    public string? RefersToCufe { get; init; }

    public Guid? RefersTo { get; init; }

    /// <summary>The SHA-256 of the original XML, for an invoice that came in as a DIAN document.</summary>
    public string? DocumentSha256 { get; init; }

    /// <summary>Reads the current row of a reader over <see cref="Columns"/>, by position (a list and an export read thousands).</summary>
    internal static InvoiceRow Read(DbDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        AccountId = reader.GetString(1),
        Number = Nullable<string>(reader, 2),
        Date = reader.GetFieldValue<DateOnly>(3),
        DueDate = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
        Provider = reader.GetString(5),
        Nit = Nullable<string>(reader, 6),
        Amount = reader.GetDecimal(7),
        Currency = reader.GetString(8),
        PaymentMethod = Nullable<string>(reader, 9),
        Category = reader.GetString(10),
        Description = Nullable<string>(reader, 11),
        Status = reader.GetString(12),
        PaidAt = reader.IsDBNull(13) ? null : reader.GetFieldValue<DateOnly>(13),
        FilePath = Nullable<string>(reader, 14),
        OcrData = Nullable<string>(reader, 15),
        OcrConfidence = reader.IsDBNull(16) ? null : reader.GetDouble(16),
        CreatedAt = reader.GetDateTime(17),
        UpdatedAt = reader.GetDateTime(18),
        Version = reader.GetInt32(19),
        ArchivedAt = reader.IsDBNull(20) ? null : reader.GetDateTime(20),
        CreatedBy = reader.GetString(21),
        CreatedByEmail = Nullable<string>(reader, 22),
        UpdatedBy = reader.GetString(23),
        UpdatedByEmail = Nullable<string>(reader, 24),
        Kind = reader.GetString(25),
        Subtotal = NullableDecimal(reader, 26),
        Discounts = NullableDecimal(reader, 27),
        Charges = NullableDecimal(reader, 28),
        Prepaid = NullableDecimal(reader, 29),
        Rounding = NullableDecimal(reader, 30),
        Taxes = reader.GetString(31),
        Withholdings = reader.GetString(32),
        Withheld = reader.GetDecimal(33),
        Cufe = Nullable<string>(reader, 34),
        RefersToCufe = Nullable<string>(reader, 35),
        RefersTo = reader.IsDBNull(36) ? null : reader.GetGuid(36),
        DocumentSha256 = Nullable<string>(reader, 37),
    };

    private static decimal? NullableDecimal(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);

    private static T? Nullable<T>(DbDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
