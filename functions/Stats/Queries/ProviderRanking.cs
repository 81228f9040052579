using Dapper;
using Npgsql;
using Stats.Model;
using Stats.Requests;

namespace Stats.Queries;

/// <summary>
/// Suppliers ranked by amount within each currency, with count, total, the name and NIT most recently written and the
/// last invoice date, all from the rollups (shared by <c>/dashboard</c>'s top providers and <c>/providers</c>).
/// </summary>
internal static class ProviderRanking
{
    internal static async Task<List<ProviderTotal>> ReadAsync(NpgsqlConnection connection, string userId, DateWindow window,
        StatsFilter filter, int top, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<ProviderTotal>($"""
            WITH totals AS (
                SELECT currency, value AS key, sum(invoice_count) AS invoice_count, sum(total) AS total,
                       {RollupSql.LatestLabel} AS name,
                       (array_agg(nit ORDER BY period DESC, invoice_count DESC) FILTER (WHERE nit <> ''))[1] AS nit
                FROM {RollupSql.InWindow} AS r
                WHERE {RollupSql.Wanted}
                GROUP BY currency, value
                HAVING sum(invoice_count) > 0
            ), ranked AS (
                SELECT totals.*, row_number() OVER (PARTITION BY currency ORDER BY total DESC, key) AS rank FROM totals
            )
            SELECT ranked.currency, ranked.key, ranked.name, ranked.nit, ranked.invoice_count, ranked.total,
                   (SELECT max(d.period) FROM invoice_rollups AS d
                    WHERE d.user_id = @userId AND d.dimension = 'provider' AND d.grain = 'day'
                      AND d.value = ranked.key AND d.currency = ranked.currency
                      AND d.period >= @from AND d.period <= @to AND d.invoice_count > 0
                      AND (@includeVoid OR d.status <> 'void') AND (@includeArchived OR NOT d.archived)) AS last_invoice_date
            FROM ranked
            WHERE ranked.rank <= @top
            ORDER BY ranked.currency, ranked.rank
            """,
            new
            {
                userId, dimension = "provider", from = window.From, to = window.To, monthFrom = window.MonthFrom, monthTo = window.MonthTo,
                currency = filter.Currency, includeVoid = filter.IncludeVoid, includeArchived = filter.IncludeArchived, top, cancellationToken,
            });
        return rows.AsList();
    }
}
