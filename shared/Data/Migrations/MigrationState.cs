namespace InvoiceApi.Data.Migrations;

/// <summary>Where one migration stands in a database.</summary>
public enum MigrationStatus
{
    /// <summary>Shipped, not yet applied.</summary>
    Pending,

    /// <summary>Applied, and the file is unchanged.</summary>
    Applied,

    /// <summary>Applied, but the file has changed since: the migrator refuses to run.</summary>
    Changed,

    /// <summary>Applied to the database but not shipped by this code (the database is ahead).</summary>
    Unknown,
}

/// <summary>One row of <c>migrate status</c>.</summary>
public sealed record MigrationState(int Version, string Name, MigrationStatus Status, DateTime? AppliedAt);
