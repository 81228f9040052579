
namespace Invoices;

/// <summary>
/// The column values of an invoice made from a draft that passed <see cref="InvoiceDraftValidator"/>: NIT normalized,
/// currency upper-case (default COP), provider and category trimmed, status defaulted to pending, and paid_at by the
/// server's rule. Create, replace, patch and import all write these.
/// </summary>
internal sealed record InvoiceValues(
    string? Number,
    DateOnly Date,
    DateOnly? DueDate,
    string Provider,
    string? Nit,
    decimal Amount,
    string Currency,
    string? PaymentMethod,
    string Category,
    string? Description,
    string Status,
    DateOnly? PaidAt,
    string? FilePath,
    string? OcrData,
    double? OcrConfidence,
    string Kind,
    decimal? Subtotal,
    decimal? Discounts,
    decimal? Charges,
    decimal? Prepaid,
    decimal? Rounding,
    string TaxesJson,
    string WithholdingsJson,
    decimal Withheld,
    string? Cufe)
{
    internal const string Pending = "pending";
    internal const string Paid = "paid";
    internal const string Void = "void";
    internal const string InvoiceKind = "invoice";
    internal const string CreditNote = "credit_note";
    internal const string DebitNote = "debit_note";
    internal const string NoTaxes = "[]";

    /// <summary>The values an invoice has in storage, to compare with a change (PUT and PATCH write nothing when equal).</summary>
    internal static InvoiceValues Of(InvoiceRow row) => new(row.Number, row.Date, row.DueDate, row.Provider, row.Nit, row.Amount,
        row.Currency, row.PaymentMethod, row.Category, row.Description, row.Status, row.PaidAt, row.FilePath, row.OcrData,
        row.OcrConfidence, row.Kind, row.Subtotal, row.Discounts, row.Charges, row.Prepaid, row.Rounding, row.Taxes,
        row.Withholdings, row.Withheld, row.Cufe);

    /// <summary>
    /// The values of <paramref name="draft"/>. paid_at: the client's date when it sends one with status paid; otherwise
    /// the date it already had when it stays paid (<paramref name="previousPaidAt"/>), or <paramref name="today"/> when it
    /// becomes paid; null for any other status.
    /// </summary>
    /// <exception cref="InvalidOperationException">The draft was not validated (a required field is missing or the NIT is wrong).</exception>
    internal static InvoiceValues FromValidDraft(InvoiceDraft draft, DateOnly today, DateOnly? previousPaidAt = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var status = draft.Status ?? Pending;
        return new InvoiceValues(
            draft.Number,
            draft.Date ?? throw NotValidated(InvoiceFields.Date),
            draft.DueDate,
            (draft.Provider ?? throw NotValidated(InvoiceFields.Provider)).Trim(),
            NormalizedNit(draft.Nit),
            draft.Amount ?? throw NotValidated(InvoiceFields.Amount),
            (draft.Currency ?? Currencies.Default).ToUpperInvariant(),
            draft.PaymentMethod,
            (draft.Category ?? throw NotValidated(InvoiceFields.Category)).Trim(),
            draft.Description,
            status,
            status == Paid ? draft.PaidAt ?? previousPaidAt ?? today : null,
            draft.FilePath,
            draft.OcrData,
            draft.OcrConfidence,
            draft.Kind ?? InvoiceKind,
            draft.Subtotal,
            draft.Discounts,
            draft.Charges,
            draft.Prepaid,
            draft.Rounding,
            draft.Taxes is { Count: > 0 } taxes ? InvoiceTax.ToJson(taxes) : NoTaxes,
            draft.Withholdings is { Count: > 0 } withholdings ? InvoiceTax.ToJson(withholdings) : NoTaxes,
            (draft.Withholdings ?? []).Sum(w => w.Amount ?? 0),
            draft.Cufe?.ToLowerInvariant());
    }

    private static string? NormalizedNit(string? nit) => nit is null ? null
        : Invoices.Nit.TryNormalize(nit, out var normalized) ? normalized : throw NotValidated(InvoiceFields.Nit);

    private static InvalidOperationException NotValidated(string field) =>
        new($"The draft was not validated: {field} is missing or invalid.");
}
