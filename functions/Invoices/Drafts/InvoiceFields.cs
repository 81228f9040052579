namespace Invoices;

/// <summary>The JSON names of an invoice's fields (docs/api.md, "The invoice"); error keys use the same names.</summary>
internal static class InvoiceFields
{
    internal const string Id = "id";
    internal const string Number = "number";
    internal const string Date = "date";
    internal const string DueDate = "due_date";
    internal const string Provider = "provider";
    internal const string Nit = "nit";
    internal const string Amount = "amount";
    internal const string Currency = "currency";
    internal const string PaymentMethod = "payment_method";
    internal const string Category = "category";
    internal const string Description = "description";
    internal const string Status = "status";
    internal const string PaidAt = "paid_at";
    internal const string FilePath = "file_path";
    internal const string OcrData = "ocr_data";
    internal const string OcrConfidence = "ocr_confidence";
    internal const string Kind = "kind";
    internal const string Subtotal = "subtotal";
    internal const string Discounts = "discounts";
    internal const string Charges = "charges";
    internal const string Prepaid = "prepaid";
    internal const string Rounding = "rounding";
    internal const string Taxes = "taxes";
    internal const string Withholdings = "withholdings";
    internal const string Payable = "payable";
    internal const string Cufe = "cufe";
    internal const string RefersTo = "refers_to";
    internal const string RefersToCufe = "refers_to_cufe";
    internal const string DocumentSha256 = "document_sha256";
    internal const string CreatedAt = "created_at";
    internal const string UpdatedAt = "updated_at";
    internal const string Version = "version";
    internal const string ArchivedAt = "archived_at";
    internal const string CreatedBy = "created_by";
    internal const string CreatedByEmail = "created_by_email";
    internal const string UpdatedBy = "updated_by";
    internal const string UpdatedByEmail = "updated_by_email";

    /// <summary>The key of an error about the body as a whole (it is not a JSON object).</summary>
    internal const string Body = "$";

    /// <summary>The fields a client writes, in the order of the API's table (also the CSV header order).</summary>
    internal static readonly IReadOnlyList<string> Writable =
    [
        Number, Date, DueDate, Provider, Nit, Amount, Currency, PaymentMethod, Category, Description, Status, PaidAt,
        FilePath, OcrData, OcrConfidence, Kind, Subtotal, Discounts, Charges, Prepaid, Rounding, Taxes, Withholdings, Payable, Cufe,
    ];

    /// <summary>
    /// Fields the server owns. A body may carry them (so a client can send back what GET returned) and they are
    /// ignored: the path names the invoice, If-Match names the version, and the server keeps the timestamps and who
    /// recorded and changed it (the token says who that is).
    /// </summary>
    internal static readonly IReadOnlySet<string> ServerOwned = new HashSet<string>(StringComparer.Ordinal)
    {
        Id, CreatedAt, UpdatedAt, Version, ArchivedAt, CreatedBy, CreatedByEmail, UpdatedBy, UpdatedByEmail,
        RefersTo, RefersToCufe, DocumentSha256,
    };
}
