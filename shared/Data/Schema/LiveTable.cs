namespace InvoiceApi.Data.Schema;

/// <summary>A table as the catalogs describe it: whether row-level security is enabled, and forced on its owner too.</summary>
internal sealed class LiveTable
{
    public required string TableName { get; init; }

    public bool RowSecurity { get; init; }

    public bool ForceRowSecurity { get; init; }
}
