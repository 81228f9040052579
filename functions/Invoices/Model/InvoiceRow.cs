namespace Invoices.Model;

/// <summary>One row of <c>invoices</c>, as the database holds it (column names are the snake_case of these names).</summary>
internal sealed class InvoiceRow
{
    public Guid Id { get; init; }

    public required string UserId { get; init; }

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
}
