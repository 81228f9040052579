using Dapper;
using InvoiceApi.Data;
using Npgsql;

namespace Stats;

/// <summary>
/// The months of a trend from invoice_rollups (migration 0004) at month grain, per currency: the 'all' dimension split
/// by status or not (count and total from the index alone), or the 'category' dimension with each category as most
/// recently spelled.
/// </summary>
internal static class TrendQuery
{
    // The rows the filter keeps. A key has a row per write slot (migration 0010), some negative: the months' sums are
    // what count, and a key emptied by later changes (sum 0) never shows (HAVING below).
    private const string Wanted = """
        (@currency::text IS NULL OR currency = @currency::text)
        AND (@includeVoid OR status <> 'void')
        AND (@includeArchived OR NOT archived)
        """;

    internal static Task<List<MonthlyTotal>> ReadAsync(NpgsqlConnection connection, string accountId, TrendRequest request, CancellationToken cancellationToken) =>
        request.By == "category" ? ReadCategoriesAsync(connection, accountId, request, cancellationToken) : ReadTotalsAsync(connection, accountId, request, cancellationToken);

    private static async Task<List<MonthlyTotal>> ReadTotalsAsync(NpgsqlConnection connection, string accountId, TrendRequest request, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<MonthlyTotal>($"""
            {ReadOnlyQuery.Scope}SELECT period AS month, currency, CASE WHEN @byStatus THEN status ELSE '' END AS key, NULL::text AS label,
                   sum(invoice_count) AS invoice_count, sum(total) AS total
            FROM invoice_rollups
            WHERE account_id = @accountId AND dimension = 'all' AND grain = 'month' AND period >= @firstMonth AND period <= @lastMonth
              AND {Wanted}
            GROUP BY 1, 2, 3
            HAVING sum(invoice_count) > 0
            """,
            new
            {
                accountId, allAccounts = false, byStatus = request.By == "status", firstMonth = request.FirstMonth, lastMonth = request.Clock.CurrentMonth,
                currency = request.Filter.Currency, includeVoid = request.Filter.IncludeVoid, includeArchived = request.Filter.IncludeArchived,
                cancellationToken,
            })).ToList();

    private static async Task<List<MonthlyTotal>> ReadCategoriesAsync(NpgsqlConnection connection, string accountId, TrendRequest request, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<MonthlyTotal>($"""
            {ReadOnlyQuery.Scope}SELECT period AS month, currency, value AS key,
                   (array_agg(label ORDER BY invoice_count DESC) FILTER (WHERE label IS NOT NULL AND invoice_count > 0))[1] AS label,
                   sum(invoice_count) AS invoice_count, sum(total) AS total
            FROM invoice_rollups
            WHERE account_id = @accountId AND dimension = 'category' AND grain = 'month' AND period >= @firstMonth AND period <= @lastMonth
              AND {Wanted}
            GROUP BY 1, 2, 3
            HAVING sum(invoice_count) > 0
            """,
            new
            {
                accountId, allAccounts = false, firstMonth = request.FirstMonth, lastMonth = request.Clock.CurrentMonth,
                currency = request.Filter.Currency, includeVoid = request.Filter.IncludeVoid, includeArchived = request.Filter.IncludeArchived,
                cancellationToken,
            })).ToList();
}

/// <summary>One month's count and total of one currency under one key (a status, a lower-cased category, '' when not split).</summary>
internal sealed class MonthlyTotal
{
    public DateOnly Month { get; init; }

    public required string Currency { get; init; }

    public required string Key { get; init; }

    /// <summary>How the category was spelled most in the month, or null.</summary>
    public string? Label { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Total { get; init; }
}
