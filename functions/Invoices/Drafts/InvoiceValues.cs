
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
    double? OcrConfidence)
{
    internal const string Pending = "pending";
    internal const string Paid = "paid";
    internal const string Void = "void";

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
            draft.OcrConfidence);
    }

    private static string? NormalizedNit(string? nit) => nit is null ? null
        : Invoices.Nit.TryNormalize(nit, out var normalized) ? normalized : throw NotValidated(InvoiceFields.Nit);

    private static InvalidOperationException NotValidated(string field) =>
        new($"The draft was not validated: {field} is missing or invalid.");
}
