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

    /// <summary>Per currency and payment method ('' for none), largest total first.</summary>
    internal static Task<List<KeyedTotal>> ByPaymentMethodAsync(NpgsqlConnection connection, string userId, DateWindow window, StatsFilter filter, CancellationToken cancellationToken) =>
        ReadAsync(connection, userId, "payment_method", window, filter, cancellationToken);

    // Dimension 'all' has a single value (''): its key is the status; payment methods group by value across statuses.
    // No label is read here, so the scan stays inside the primary key's index (count and total are INCLUDEd).
    private static async Task<List<KeyedTotal>> ReadAsync(NpgsqlConnection connection, string userId, string dimension, DateWindow window,
        StatsFilter filter, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<KeyedTotal>($"""
            SELECT currency, CASE WHEN @dimension = 'all' THEN status ELSE value END AS key, NULL::text AS label,
                   sum(sign * invoice_count) AS invoice_count, sum(sign * total) AS total
            FROM {RollupSql.InWindow} AS r
            WHERE {RollupSql.Wanted}
            GROUP BY 1, 2
            HAVING sum(sign * invoice_count) > 0
            ORDER BY currency, total DESC, key
            """,
            new
            {
                userId, dimension, yearFrom = window.Months.YearFrom, yearTo = window.Months.YearTo,
                monthAdd1From = window.Months.Add1.First, monthAdd1To = window.Months.Add1.Last, monthAdd2From = window.Months.Add2.First, monthAdd2To = window.Months.Add2.Last,
                monthSub1From = window.Months.Sub1.First, monthSub1To = window.Months.Sub1.Last, monthSub2From = window.Months.Sub2.First, monthSub2To = window.Months.Sub2.Last,
                add1From = window.Add1.First, add1To = window.Add1.Last, add2From = window.Add2.First, add2To = window.Add2.Last,
                sub1From = window.Sub1.First, sub1To = window.Sub1.Last, sub2From = window.Sub2.First, sub2To = window.Sub2.Last,
                currency = filter.Currency, includeVoid = filter.IncludeVoid, includeArchived = filter.IncludeArchived, cancellationToken,
            })).AsList();

    /// <summary>Per currency and category (compared case-insensitively, shown as most recently spelled), largest total first.</summary>
    internal static async Task<List<KeyedTotal>> ByCategoryAsync(NpgsqlConnection connection, string userId, DateWindow window,
        StatsFilter filter, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<KeyedTotal>($"""
            SELECT currency, value AS key, {RollupSql.LatestLabel} AS label,
                   sum(sign * invoice_count) AS invoice_count, sum(sign * total) AS total
            FROM {RollupSql.InWindow} AS r
            WHERE {RollupSql.Wanted}
            GROUP BY 1, 2
            HAVING sum(sign * invoice_count) > 0
            ORDER BY currency, total DESC, key
            """,
            new
            {
                userId, dimension = "category", yearFrom = window.Months.YearFrom, yearTo = window.Months.YearTo,
                monthAdd1From = window.Months.Add1.First, monthAdd1To = window.Months.Add1.Last, monthAdd2From = window.Months.Add2.First, monthAdd2To = window.Months.Add2.Last,
                monthSub1From = window.Months.Sub1.First, monthSub1To = window.Months.Sub1.Last, monthSub2From = window.Months.Sub2.First, monthSub2To = window.Months.Sub2.Last,
                add1From = window.Add1.First, add1To = window.Add1.Last, add2From = window.Add2.First, add2To = window.Add2.Last,
                sub1From = window.Sub1.First, sub1To = window.Sub1.Last, sub2From = window.Sub2.First, sub2To = window.Sub2.Last,
                currency = filter.Currency, includeVoid = filter.IncludeVoid, includeArchived = filter.IncludeArchived, cancellationToken,
            })).AsList();
}
