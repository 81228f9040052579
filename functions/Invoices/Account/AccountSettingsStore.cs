using Dapper;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using Npgsql;

namespace Invoices;

/// <summary>An account's own settings (migration 0011): its legal name and NIT, and who set them last.</summary>
internal sealed class AccountSettings
{
    public required string AccountId { get; init; }

    public string? LegalName { get; init; }

    /// <summary>Normalized, <c>900123456-8</c>: documents addressed to another buyer are refused.</summary>
    public string? Nit { get; init; }

    public DateTime UpdatedAt { get; init; }

    public required string UpdatedBy { get; init; }

    public string? UpdatedByEmail { get; init; }
}

/// <summary>The reads and the write of <c>account_settings</c>, each in the caller's transaction.</summary>
internal static class AccountSettingsStore
{
    private const string Columns = "account_id, legal_name, nit, updated_at, updated_by, updated_by_email";

    /// <summary>A read on its own (GET /account): the scope's CALL first, as every read's (<see cref="ReadOnlyQuery.Scope"/>).</summary>
    internal static Task<AccountSettings?> ReadScopedAsync(NpgsqlConnection connection, DataScope scope, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<AccountSettings>(
            $"{ReadOnlyQuery.Scope}SELECT {Columns} FROM account_settings WHERE account_id = @accountId",
            new { accountId = scope.AccountId, allAccounts = scope.ReadAllAccounts, cancellationToken });

    /// <summary>The read inside a write's transaction (POST /documents checks each buyer against it).</summary>
    internal static Task<AccountSettings?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<AccountSettings>($"SELECT {Columns} FROM account_settings WHERE account_id = @accountId",
            new { accountId, cancellationToken }, transaction);

    internal static Task<AccountSettings> SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId,
        string? legalName, string? nit, string memberId, string? memberEmail, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<AccountSettings>($"""
            INSERT INTO account_settings AS s (account_id, legal_name, nit, updated_by, updated_by_email)
            VALUES (@accountId, @legalName, @nit, @memberId, @memberEmail)
            ON CONFLICT (account_id) DO UPDATE
                SET legal_name = EXCLUDED.legal_name, nit = EXCLUDED.nit, updated_at = now(),
                    updated_by = EXCLUDED.updated_by, updated_by_email = EXCLUDED.updated_by_email
            RETURNING {Columns}
            """, new { accountId, legalName, nit, memberId, memberEmail, cancellationToken }, transaction);
}
