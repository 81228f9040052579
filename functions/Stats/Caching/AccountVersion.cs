using Dapper;
using InvoiceApi.Data;
using Npgsql;

namespace Stats.Caching;

/// <summary>
/// The account's change number (migration 0006) as the current transaction sees it, 0 for an account without invoices,
/// with the time the database server started. Numbers are never reused while the server runs, but a restore from a
/// backup (which restarts the server) rewinds the sequence, so a number can come back for other invoices after it:
/// with the start time beside it, a number from before a restore never equals one from after.
/// </summary>
internal sealed class AccountVersion
{
    public long Version { get; init; }

    public DateTime ServerStarted { get; init; }

    internal bool SameAs(AccountVersion other) => Version == other.Version && ServerStarted == other.ServerStarted;

    internal static Task<AccountVersion> ReadAsync(NpgsqlConnection connection, string accountId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<AccountVersion>($"""
            {ReadOnlyQuery.Scope}SELECT coalesce((SELECT version FROM invoice_account_versions WHERE account_id = @accountId), 0) AS version,
                   pg_postmaster_start_time() AS server_started
            """, new { accountId, allAccounts = false, cancellationToken });
}
