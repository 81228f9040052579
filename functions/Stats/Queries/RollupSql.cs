namespace Stats.Queries;

/// <summary>
/// SQL pieces every rollup read shares (migration 0004 describes the table). Parameters: @userId, @dimension, the
/// <see cref="Model.DateWindow"/> bounds (@yearFrom, @yearTo, @monthAdd1From ... @monthSub2To, @add1From ... @sub2To), and the filter @currency, @includeVoid, @includeArchived.
/// </summary>
internal static class RollupSql
{
    /// <summary>
    /// The caller's rollup rows of one dimension in a <see cref="Model.DateWindow"/>, each with the sign it counts with:
    /// whole years at year grain, edge months added or subtracted at month grain, edge days added or subtracted at day
    /// grain (<see cref="Model.MonthSpan"/>). Nine index ranges joined with UNION ALL; the empty ones cost one index descent.
    /// Aggregate with <c>sum(sign * invoice_count)</c> and <c>sum(sign * total)</c>.
    /// </summary>
    internal const string InWindow = """
        (SELECT 1 AS sign, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'year' AND period >= @yearFrom AND period < @yearTo
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'month' AND period BETWEEN @monthAdd1From AND @monthAdd1To
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'month' AND period BETWEEN @monthAdd2From AND @monthAdd2To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'month' AND period BETWEEN @monthSub1From AND @monthSub1To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'month' AND period BETWEEN @monthSub2From AND @monthSub2To
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'day' AND period BETWEEN @add1From AND @add1To
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'day' AND period BETWEEN @add2From AND @add2To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'day' AND period BETWEEN @sub1From AND @sub1To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'day' AND period BETWEEN @sub2From AND @sub2To)
        """;

    /// <summary>The rows a <see cref="Requests.StatsFilter"/> keeps; rows emptied by later changes (count 0) never show.</summary>
    internal const string Wanted = """
        invoice_count > 0
        AND (@currency::text IS NULL OR currency = @currency::text)
        AND (@includeVoid OR status <> 'void')
        AND (@includeArchived OR NOT archived)
        """;

    /// <summary>The spelling of a category or provider most recently written in the rows grouped.</summary>
    internal const string LatestLabel = "(array_agg(label ORDER BY period DESC, invoice_count DESC) FILTER (WHERE label IS NOT NULL AND sign > 0))[1]";

    /// <summary><see cref="InWindow"/> for the four dimensions at once, with a <c>dimension</c> column: the dashboard's period.</summary>
    internal const string AllDimensionsInWindow = """
        (SELECT dimension, 1 AS sign, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'year' AND period >= @yearFrom AND period < @yearTo
         UNION ALL
         SELECT dimension, 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'month' AND period BETWEEN @monthAdd1From AND @monthAdd1To
         UNION ALL
         SELECT dimension, 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'month' AND period BETWEEN @monthAdd2From AND @monthAdd2To
         UNION ALL
         SELECT dimension, -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'month' AND period BETWEEN @monthSub1From AND @monthSub1To
         UNION ALL
         SELECT dimension, -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'month' AND period BETWEEN @monthSub2From AND @monthSub2To
         UNION ALL
         SELECT dimension, 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'day' AND period BETWEEN @add1From AND @add1To
         UNION ALL
         SELECT dimension, 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'day' AND period BETWEEN @add2From AND @add2To
         UNION ALL
         SELECT dimension, -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'day' AND period BETWEEN @sub1From AND @sub1To
         UNION ALL
         SELECT dimension, -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension IN ('all', 'category', 'payment_method', 'provider') AND grain = 'day' AND period BETWEEN @sub2From AND @sub2To)
        """;

    /// <summary><see cref="InWindow"/> of dimension <c>all</c> in a second window whose bounds are named @prevYearFrom ... @prevSub2To.</summary>
    internal const string AllInPreviousWindow = """
        (SELECT 1 AS sign, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'year' AND period >= @prevYearFrom AND period < @prevYearTo
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'month' AND period BETWEEN @prevMonthAdd1From AND @prevMonthAdd1To
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'month' AND period BETWEEN @prevMonthAdd2From AND @prevMonthAdd2To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'month' AND period BETWEEN @prevMonthSub1From AND @prevMonthSub1To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'month' AND period BETWEEN @prevMonthSub2From AND @prevMonthSub2To
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'day' AND period BETWEEN @prevAdd1From AND @prevAdd1To
         UNION ALL
         SELECT 1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'day' AND period BETWEEN @prevAdd2From AND @prevAdd2To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'day' AND period BETWEEN @prevSub1From AND @prevSub1To
         UNION ALL
         SELECT -1, period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = 'all' AND grain = 'day' AND period BETWEEN @prevSub2From AND @prevSub2To)
        """;
}
