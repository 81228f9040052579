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

    /// <summary><c>invoice</c> (the default), <c>credit_note</c> or <c>debit_note</c>; a credit note's money is negative.</summary>
    public string? Kind { get; init; }

    /// <summary>The amount before taxes; when given, the parts must add up to <see cref="Amount"/> (docs/api.md, "Taxes").</summary>
    public decimal? Subtotal { get; init; }

    public decimal? Discounts { get; init; }

    public decimal? Charges { get; init; }

    public decimal? Prepaid { get; init; }

    public decimal? Rounding { get; init; }

    public IReadOnlyList<InvoiceTax>? Taxes { get; init; }

    public IReadOnlyList<InvoiceTax>? Withholdings { get; init; }

    /// <summary>What is owed after withholdings; the server computes it, and a client that sends it must agree.</summary>
    public decimal? Payable { get; init; }

    /// <summary>The DIAN document's CUFE (a note's CUDE), as sent; lower-cased after validation.</summary>
    public string? Cufe { get; init; }
}
