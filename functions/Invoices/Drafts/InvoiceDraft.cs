namespace Invoices;

/// <summary>
/// The fields a client sends for one invoice, already typed but not yet checked against the rules
/// (that is <c>InvoiceDraftValidator</c>'s job). The JSON body of POST/PUT/PATCH and each row of an import
/// (JSON or CSV) become one of these; a value of the wrong type never gets this far.
/// </summary>
internal sealed record InvoiceDraft
{
    public string? Number { get; init; }

    public DateOnly? Date { get; init; }

    public DateOnly? DueDate { get; init; }

    public string? Provider { get; init; }

    /// <summary>As sent: <c>900123456-8</c>, <c>900.123.456-8</c> or the base number alone; normalized after validation.</summary>
    public string? Nit { get; init; }

    public decimal? Amount { get; init; }

    public string? Currency { get; init; }

    public string? PaymentMethod { get; init; }

    public string? Category { get; init; }

    public string? Description { get; init; }

    public string? Status { get; init; }

    /// <summary>When the invoice was paid, if the client says so; only with status <c>paid</c> (the server fills it in otherwise).</summary>
    public DateOnly? PaidAt { get; init; }

    public string? FilePath { get; init; }

    /// <summary>The OCR object as raw JSON text.</summary>
    public string? OcrData { get; init; }

    public double? OcrConfidence { get; init; }
}
