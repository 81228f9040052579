using Dapper;
using Npgsql;
using Stats.Model;
using Stats.Requests;

namespace Stats.Queries;

/// <summary>
/// Suppliers ranked by amount within each currency, with count and total from the rollups; then, for the few ranked
/// ones only, the last invoice date and name (newest day row in the period) and the NIT (newest month row that has
/// one) from invoice_rollups_provider_idx. Shared by <c>/dashboard</c>'s top providers and <c>/providers</c>.
/// </summary>
internal static class ProviderRanking
{
    internal static async Task<List<ProviderTotal>> ReadAsync(NpgsqlConnection connection, string userId, DateWindow window,
        StatsFilter filter, int top, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<ProviderTotal>($"""
            WITH totals AS (
                SELECT currency, value AS key, sum(sign * invoice_count) AS invoice_count, sum(sign * total) AS total
                FROM {RollupSql.InWindow} AS r
                WHERE {RollupSql.Wanted}
                GROUP BY currency, value
                HAVING sum(sign * invoice_count) > 0
            ), ranked AS (
                SELECT totals.*, row_number() OVER (PARTITION BY currency ORDER BY total DESC, key) AS rank FROM totals
            )
            SELECT ranked.currency, ranked.key, coalesce(last.label, ranked.key) AS name, last.period AS last_invoice_date,
                   (SELECT m.nit FROM invoice_rollups AS m
                    WHERE m.user_id = @userId AND m.dimension = 'provider' AND m.value = ranked.key AND m.currency = ranked.currency
                      AND m.grain = 'month' AND m.period >= date_trunc('month', @from::timestamp)::date AND m.period <= @to
                      AND m.nit <> '' AND m.invoice_count > 0
                      AND (@includeVoid OR m.status <> 'void') AND (@includeArchived OR NOT m.archived)
                    ORDER BY m.period DESC LIMIT 1) AS nit,
                   ranked.invoice_count, ranked.total
            FROM ranked
            LEFT JOIN LATERAL (
                SELECT d.period, d.label FROM invoice_rollups AS d
                WHERE d.user_id = @userId AND d.dimension = 'provider' AND d.value = ranked.key AND d.currency = ranked.currency
                  AND d.grain = 'day' AND d.period >= @from AND d.period <= @to AND d.invoice_count > 0
                  AND (@includeVoid OR d.status <> 'void') AND (@includeArchived OR NOT d.archived)
                ORDER BY d.period DESC LIMIT 1) AS last ON true
            WHERE ranked.rank <= @top
            ORDER BY ranked.currency, ranked.rank
            """,
            new
            {
                userId, dimension = "provider", from = window.From, to = window.To, yearFrom = window.Months.YearFrom, yearTo = window.Months.YearTo,
                monthAdd1From = window.Months.Add1.First, monthAdd1To = window.Months.Add1.Last, monthAdd2From = window.Months.Add2.First, monthAdd2To = window.Months.Add2.Last,
                monthSub1From = window.Months.Sub1.First, monthSub1To = window.Months.Sub1.Last, monthSub2From = window.Months.Sub2.First, monthSub2To = window.Months.Sub2.Last,
                add1From = window.Add1.First, add1To = window.Add1.Last, add2From = window.Add2.First, add2To = window.Add2.Last,
                sub1From = window.Sub1.First, sub1To = window.Sub1.Last, sub2From = window.Sub2.First, sub2To = window.Sub2.Last,
                currency = filter.Currency, includeVoid = filter.IncludeVoid, includeArchived = filter.IncludeArchived, top, cancellationToken,
            });
        return rows.ToList();
    }
}
