namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// One demo invoice as the seed sends it to <c>POST /import</c>; null fields are left out. A taxed one carries its
/// subtotal and its one tax, which add up to the amount to the cent.
/// </summary>
internal sealed record DemoInvoice(
    string Number,
    DateOnly Date,
    DateOnly? DueDate,
    string Provider,
    string? Nit,
    decimal Amount,
    string Currency,
    string? PaymentMethod,
    string Category,
    string Description,
    string Status,
    DateOnly? PaidAt,
    string? FilePath,
    double? OcrConfidence,
    decimal? Subtotal,
    DemoTax? Tax);
