using Dapper;
using Npgsql;

namespace Stats.Caching;

/// <summary>The caller's change number (migration 0006), as the current transaction sees it; 0 for a caller without invoices.</summary>
internal static class CallerVersion
{
    internal static async Task<long> ReadAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT version FROM invoice_caller_versions WHERE user_id = @userId", new { userId, cancellationToken }) ?? 0;
}
