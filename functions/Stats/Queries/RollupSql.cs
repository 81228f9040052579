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
}
