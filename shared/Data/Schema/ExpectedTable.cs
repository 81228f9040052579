namespace InvoiceApi.Data.Schema;

/// <summary>A column the code reads or writes: its name, its type as PostgreSQL's <c>format_type</c> spells it, and nullability.</summary>
public sealed record ExpectedColumn(string Name, string Type, bool Nullable);

/// <summary>A table the code uses, with the columns and indexes it relies on.</summary>
public sealed record ExpectedTable(string Name, IReadOnlyList<ExpectedColumn> Columns, IReadOnlyList<string> Indexes);
