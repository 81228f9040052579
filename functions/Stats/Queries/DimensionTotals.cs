using Dapper;
using Npgsql;
using Stats.Model;
using Stats.Requests;

namespace Stats.Queries;

/// <summary>Count and total per currency and key of one rollup dimension in a date window.</summary>
internal static class DimensionTotals
{
    /// <summary>Per currency and status (dimension <c>all</c>): totals, the status breakdown and the pending figures.</summary>
    internal static Task<List<KeyedTotal>> ByStatusAsync(NpgsqlConnection connection, string userId, DateWindow window, StatsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(connection, userId, "all", window, filter, cancellationToken);

    /// <summary>Per currency and value of <paramref name="dimension"/> (<c>category</c> or <c>payment_method</c>), largest total first.</summary>
    internal static Task<List<KeyedTotal>> ByValueAsync(NpgsqlConnection connection, string userId, string dimension, DateWindow window, StatsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(connection, userId, dimension, window, filter, cancellationToken);

    private static async Task<List<KeyedTotal>> ReadAsync(NpgsqlConnection connection, string userId, string dimension, DateWindow window,
        StatsFilter filter, CancellationToken cancellationToken)
    {
        // Dimension 'all' has a single value (''): its key is the status. The others group by value across statuses.
        var rows = await connection.QueryAsync<KeyedTotal>($"""
            SELECT currency, CASE WHEN @dimension = 'all' THEN status ELSE value END AS key, {RollupSql.LatestLabel} AS label,
                   sum(invoice_count) AS invoice_count, sum(total) AS total
            FROM {RollupSql.InWindow} AS r
            WHERE {RollupSql.Wanted}
            GROUP BY 1, 2
            HAVING sum(invoice_count) > 0
            ORDER BY currency, total DESC, key
            """,
            new
            {
                userId, dimension, from = window.From, to = window.To, monthFrom = window.MonthFrom, monthTo = window.MonthTo,
                currency = filter.Currency, includeVoid = filter.IncludeVoid, includeArchived = filter.IncludeArchived, cancellationToken,
            });
        return rows.AsList();
    }
}
