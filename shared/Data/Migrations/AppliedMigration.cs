namespace InvoiceApi.Data.Migrations;

/// <summary>A row of <c>schema_migrations</c>: what was applied, when, and the checksum of the file at the time.</summary>
internal sealed class AppliedMigration
{
    public int Version { get; init; }

    public required string Name { get; init; }

    public required string Checksum { get; init; }

    public DateTime AppliedAt { get; init; }
}
