namespace InvoiceApi.Data.Readiness;

/// <summary>The role the process is logged in as, and whether row-level security on invoices holds it.</summary>
internal sealed class LiveLogin
{
    public required string RoleName { get; init; }

    public bool IsSuperuser { get; init; }

    public bool BypassesRls { get; init; }

    /// <summary>CREATEROLE: before PostgreSQL 16 such a role may grant itself any other role, the owner's included.</summary>
    public bool CreatesRoles { get; init; }

    /// <summary>The other roles it is a member of that have SUPERUSER, BYPASSRLS or CREATEROLE (SET ROLE reaches them), comma-separated; null when none.</summary>
    public string? PrivilegedGroups { get; init; }

    /// <summary>The owner of invoices, or null when the table does not exist yet.</summary>
    public string? InvoicesOwner { get; init; }

    /// <summary>True when the login is the owner of invoices or a member of it.</summary>
    public bool OwnsInvoices { get; init; }

    /// <summary>True when the login is a member of the runtime group role invoice_api_runtime.</summary>
    public bool IsRuntimeMember { get; init; }
}
