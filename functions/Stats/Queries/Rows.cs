namespace Stats.Queries;

/// <summary>A count and total of one currency under one key (a status, category, payment method, month...).</summary>
internal sealed class KeyedTotal
{
    public required string Currency { get; init; }

    /// <summary>The group: a status, the lower-cased category, a payment method ('' for none); '' when not grouped.</summary>
    public required string Key { get; init; }

    /// <summary>How the key was last spelled (category), or null.</summary>
    public string? Label { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Total { get; init; }
}

/// <summary>One month of a trend: a <see cref="KeyedTotal"/> with its month.</summary>
internal sealed class MonthlyTotal
{
    public DateOnly Month { get; init; }

    public required string Currency { get; init; }

    public required string Key { get; init; }

    public string? Label { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Total { get; init; }
}

/// <summary>One supplier's figures in a period.</summary>
internal sealed class ProviderTotal
{
    public required string Currency { get; init; }

    /// <summary>The lower-cased name: suppliers are grouped case-insensitively.</summary>
    public required string Key { get; init; }

    public string? Name { get; init; }

    public string? Nit { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Total { get; init; }

    public DateOnly? LastInvoiceDate { get; init; }
}
