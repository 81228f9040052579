namespace InvoiceApi.Data.Schema;

/// <summary>A row-level security policy as the catalogs describe it.</summary>
internal sealed class LivePolicy
{
    public required string TableName { get; init; }

    public required string PolicyName { get; init; }

    /// <summary>ALL, SELECT, INSERT, UPDATE or DELETE.</summary>
    public required string Command { get; init; }
}
