using Npgsql;
using Stats.Periods;
using Stats.Rollups;

namespace Stats;

/// <summary>
/// Every dashboard figure in one statement (one round trip, one snapshot): statuses, categories, payment methods and
/// top providers (<see cref="ProviderRanking"/>) and, when asked, the invoices per member (created_by) in the period, totals of the previous one, the overdue figures,
/// and the period's taxes and withholdings.
/// The period's rows come from <see cref="RollupSource"/> (the live view by default); overdue always reads
/// invoice_overdue_rollups (migration 0005), taxes invoice_tax_rollups (0012, <see cref="TaxWindow"/>). Rows are
/// ordered by part, currency, total (largest first) and key.
/// </summary>
internal static class DashboardQuery
{
    // The spelling of a category or provider most recently written in the rows grouped that still count invoices.
    private const string LatestLabel = "(array_agg(label ORDER BY period DESC, invoice_count DESC) FILTER (WHERE label IS NOT NULL AND sign > 0 AND invoice_count > 0))[1]";

    internal static async Task<List<DashboardRow>> ReadAsync(NpgsqlConnection connection, string accountId, DashboardRequest request,
        CancellationToken cancellationToken)
    {
        var parameters = new PositionalParameters();
        var sql = Build(parameters, accountId, request.Period, request.Period.Previous(), request.Filter, request.Top, request.Clock.Today, request.ByCreatedBy);
        await using var batch = parameters.Scoped(sql, accountId, connection);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rows = new List<DashboardRow>(128);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DashboardRow(
                Part: reader.GetString(0),
                Currency: reader.GetString(1),
                Key: reader.GetString(2),
                Label: reader.IsDBNull(3) ? null : reader.GetString(3),
                Nit: reader.IsDBNull(4) ? null : reader.GetString(4),
                LastInvoiceDate: reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                InvoiceCount: reader.GetInt64(6),
                Total: reader.GetDecimal(7)));
        }
        return rows;
    }

    internal static string Build(PositionalParameters parameters, string accountId, DateWindow window, DateWindow previous, StatsFilter filter,
        int top, DateOnly today, bool byCreatedBy)
    {
        var account = parameters.Add(accountId);
        var from = parameters.Add(window.From);
        var to = parameters.Add(window.To);
        var source = RollupSource.For(filter);
        var currency = RollupSource.CurrencyCondition(parameters, filter);
        string[] dimensions = byCreatedBy ? ["status", "category", "payment_method", "provider", "created_by"] : ["status", "category", "payment_method", "provider"];
        var current = source.Rows(parameters, account, window, currency, dimensions);
        var before = source.Totals(parameters, account, previous, currency);
        var overdue = Overdue(parameters, account, window, today, filter.IncludeArchived, currency);
        var taxes = TaxWindow.Amounts(parameters, account, window, currency);
        var providers = ProviderRanking.Top(source, "SELECT currency, value, invoice_count, total FROM wanted WHERE dimension = 'provider'",
            account, from, to, parameters.Add(top));
        return $"""
            WITH wanted AS MATERIALIZED (
                {current}
            ), parts AS (
                SELECT dimension AS part, currency, value AS key, {LatestLabel} AS label, NULL::text AS nit, NULL::date AS last_invoice_date,
                       sum(invoice_count) AS invoice_count, sum(total) AS total
                FROM wanted
                WHERE dimension <> 'provider'
                GROUP BY dimension, currency, value
                HAVING sum(invoice_count) > 0
                UNION ALL
                SELECT 'previous', currency, '', NULL, NULL, NULL, sum(invoice_count), sum(total)
                FROM ({before}) AS r
                GROUP BY currency
                HAVING sum(invoice_count) > 0
                UNION ALL
                SELECT 'provider', * FROM ({providers}) AS p
                UNION ALL
                SELECT 'overdue', currency, '', NULL, NULL, NULL, sum(invoice_count), sum(total)
                FROM ({overdue}) AS o
                GROUP BY currency
                HAVING sum(invoice_count) > 0
                UNION ALL
                SELECT 'taxes', currency, kind, NULL, NULL, NULL, 0, sum(amount)
                FROM ({taxes}) AS t
                GROUP BY currency, kind
            )
            SELECT part, currency, key, label, nit, last_invoice_date, invoice_count::bigint, total FROM parts
            ORDER BY part, currency, total DESC, key
            """;
    }

    /// <summary>
    /// The overdue figures (pending, due before today, dated in the period) from invoice_overdue_rollups (migration 0005):
    /// the period's dates as whole months plus signed edge days (<see cref="DateWindow"/>), times the due dates before
    /// today as whole months before this one plus this month's days. Rows of (currency, invoice_count, total), negative for subtracted days.
    /// </summary>
    private static string Overdue(PositionalParameters parameters, string account, DateWindow window, DateOnly today, bool includeArchived, string currency)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var kept = (includeArchived ? "" : " AND NOT archived") + currency;
        var todayParameter = parameters.Add(today);
        var monthParameter = parameters.Add(thisMonth);
        var branches = new List<string>(10);
        if (window.MonthFrom < window.MonthTo)
        {
            var first = parameters.Add(window.MonthFrom);
            var last = parameters.Add(window.MonthTo.AddMonths(-1));
            // No invoice is due before it is dated, so due months start at the period's first month.
            branches.Add($"""
                SELECT currency, invoice_count, total FROM invoice_overdue_rollups
                 WHERE account_id = {account} AND date_grain = 'month' AND due_grain = 'month' AND date_period BETWEEN {first} AND {last}
                   AND due_period >= {first} AND due_period < {monthParameter}{kept}
                """);
            branches.Add($"""
                SELECT currency, invoice_count, total FROM invoice_overdue_rollups
                 WHERE account_id = {account} AND date_grain = 'month' AND due_grain = 'day' AND due_period >= {monthParameter} AND due_period < {todayParameter}
                   AND date_period BETWEEN {first} AND {last}{kept}
                """);
        }
        foreach (var days in RollupPiece.DaysOf(window))
        {
            var first = parameters.Add(days.First);
            var last = parameters.Add(days.Last);
            var signed = days.Sign > 0 ? "invoice_count, total" : "-invoice_count AS invoice_count, -total AS total";
            branches.Add($"""
                SELECT currency, {signed} FROM invoice_overdue_rollups
                 WHERE account_id = {account} AND date_grain = 'day' AND due_grain = 'month' AND date_period BETWEEN {first} AND {last}
                   AND due_period < {monthParameter}{kept}
                """);
            branches.Add($"""
                SELECT currency, {signed} FROM invoice_overdue_rollups
                 WHERE account_id = {account} AND date_grain = 'day' AND due_grain = 'day' AND date_period BETWEEN {first} AND {last}
                   AND due_period >= {monthParameter} AND due_period < {todayParameter}{kept}
                """);
        }
        // Every non-empty window has months or edge days; an empty list would still be valid SQL.
        return branches.Count == 0
            ? "SELECT ''::text AS currency, 0::bigint AS invoice_count, 0::numeric AS total WHERE false"
            : string.Join("\n    UNION ALL\n    ", branches);
    }
}

/// <summary>
/// One row of the dashboard statement: which figure (<see cref="Part"/>: status, category, payment_method, provider,
/// previous, overdue or taxes), its currency, its key (a status, the lower-cased category or provider, a payment method,
/// tax or withholding, '' for none and for totals), its label (how a category was last spelled, a provider's name) and its sums.
/// </summary>
internal sealed record DashboardRow(string Part, string Currency, string Key, string? Label, string? Nit, DateOnly? LastInvoiceDate,
    long InvoiceCount, decimal Total);
