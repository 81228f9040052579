using Dapper;
using InvoiceApi.Data;
using Npgsql;

namespace Stats.Caching;

/// <summary>
/// The account's change number (migrations 0006 and 0010) as the read sees it: the sum and the largest of its write
/// slots' numbers (0 for an account without invoices), with the time the database server started. Every committed
/// write raises the sum (its slot gets a new, larger number); numbers are never reused while the server runs, so the
/// largest tells apart states on either side of a TRUNCATE; a restore from a backup (which restarts the server) rewinds
/// the sequence, so with the start time beside them, numbers from before a restore never equal ones from after.
/// </summary>
internal sealed class AccountVersion
{
    public long Version { get; init; }

    public long Latest { get; init; }

    public DateTime ServerStarted { get; init; }

    internal bool SameAs(AccountVersion other) => Version == other.Version && Latest == other.Latest && ServerStarted == other.ServerStarted;

    internal static Task<AccountVersion> ReadAsync(NpgsqlConnection connection, string accountId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<AccountVersion>($"""
            {ReadOnlyQuery.Scope}SELECT coalesce(sum(version), 0)::bigint AS version, coalesce(max(version), 0) AS latest,
                   pg_postmaster_start_time() AS server_started
            FROM invoice_account_versions WHERE account_id = @accountId
            """, new { accountId, allAccounts = false, cancellationToken });
}
