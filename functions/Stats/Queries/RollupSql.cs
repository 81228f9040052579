namespace Stats.Queries;

/// <summary>
/// SQL pieces every rollup read shares (migration 0004 describes the table). Parameters: @userId, @dimension, the
/// <see cref="Model.DateWindow"/> bounds @from, @to, @monthFrom, @monthTo, and the filter @currency, @includeVoid, @includeArchived.
/// </summary>
internal static class RollupSql
{
    /// <summary>
    /// The caller's rollup rows of one dimension in a date window: whole months at month grain, edge days at day grain.
    /// Three index ranges joined with UNION ALL, so the day rows of the whole months are never read.
    /// </summary>
    internal const string InWindow = """
        (SELECT period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'month' AND period >= @monthFrom AND period < @monthTo
         UNION ALL
         SELECT period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'day' AND period >= @from AND period < @monthFrom
         UNION ALL
         SELECT period, currency, status, archived, value, nit, label, invoice_count, total FROM invoice_rollups
         WHERE user_id = @userId AND dimension = @dimension AND grain = 'day' AND period >= @monthTo AND period <= @to)
        """;

    /// <summary>The rows a <see cref="Requests.StatsFilter"/> keeps; rows emptied by later changes (count 0) never show.</summary>
    internal const string Wanted = """
        invoice_count > 0
        AND (@currency::text IS NULL OR currency = @currency::text)
        AND (@includeVoid OR status <> 'void')
        AND (@includeArchived OR NOT archived)
        """;

    /// <summary>The spelling of a category or provider most recently written in the rows grouped.</summary>
    internal const string LatestLabel = "(array_agg(label ORDER BY period DESC, invoice_count DESC) FILTER (WHERE label IS NOT NULL))[1]";
}
