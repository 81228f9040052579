namespace InvoiceApi.Data.Schema;

/// <summary>A column as the catalogs describe it.</summary>
internal sealed class LiveColumn
{
    public required string TableName { get; init; }

    public required string ColumnName { get; init; }

    public required string ColumnType { get; init; }

    public bool NotNull { get; init; }
}

/// <summary>An index as the catalogs describe it; an invalid one is left over from a failed concurrent build.</summary>
internal sealed class LiveIndex
{
    public required string TableName { get; init; }

    public required string IndexName { get; init; }

    public bool IsValid { get; init; }
}
