namespace InvoiceApi.Data.Schema;

/// <summary>A column the code reads or writes: its name, its type as PostgreSQL's <c>format_type</c> spells it, and nullability.</summary>
public sealed record ExpectedColumn(string Name, string Type, bool Nullable);

/// <summary>A table the code uses, with the columns and indexes it relies on.</summary>
public sealed record ExpectedTable(string Name, IReadOnlyList<ExpectedColumn> Columns, IReadOnlyList<string> Indexes)
{
    /// <summary>True when the table holds per-caller rows: row-level security must be enabled and forced.</summary>
    public bool ForcedRowLevelSecurity { get; init; }

    /// <summary>The row-level security policies the isolation of callers relies on.</summary>
    public IReadOnlyList<ExpectedPolicy> Policies { get; init; } = [];

    /// <summary>The triggers that keep other tables exact with this one: present and enabled.</summary>
    public IReadOnlyList<string> Triggers { get; init; } = [];
}

/// <summary>A row-level security policy: its name and the command it applies to (<c>ALL</c>, <c>SELECT</c>, ...).</summary>
public sealed record ExpectedPolicy(string Name, string Command);
