using Dapper;
using Npgsql;

namespace Stats.Caching;

/// <summary>
/// The caller's change number (migration 0006) as the current transaction sees it, 0 for a caller without invoices,
/// with the time the database server started. Numbers are never reused while the server runs, but a restore from a
/// backup (which restarts the server) rewinds the sequence, so a number can come back for other invoices after it:
/// with the start time beside it, a number from before a restore never equals one from after.
/// </summary>
internal sealed class CallerVersion
{
    public long Version { get; init; }

    public DateTime ServerStarted { get; init; }

    internal bool SameAs(CallerVersion other) => Version == other.Version && ServerStarted == other.ServerStarted;

    internal static Task<CallerVersion> ReadAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<CallerVersion>("""
            SELECT coalesce((SELECT version FROM invoice_caller_versions WHERE user_id = @userId), 0) AS version,
                   pg_postmaster_start_time() AS server_started
            """, new { userId, cancellationToken });
}
