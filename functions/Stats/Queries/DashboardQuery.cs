using Dapper;
using Npgsql;
using Stats.Model;
using Stats.Requests;

namespace Stats.Queries;

/// <summary>One row of the dashboard statement: which figure (<see cref="Part"/>) and its currency, key and sums.</summary>
internal sealed class DashboardRow
{
    /// <summary>status, previous, category, method, provider or overdue.</summary>
    public required string Part { get; init; }

    public required string Currency { get; init; }

    public required string Key { get; init; }

    public string? Label { get; init; }

    public string? Nit { get; init; }

    public DateOnly? LastInvoiceDate { get; init; }

    public long InvoiceCount { get; init; }

    public decimal Total { get; init; }
}

/// <summary>
/// Every dashboard figure in one statement (one round trip, one snapshot): statuses in the period and the previous one,
/// categories, payment methods, the top providers with their last date, name and NIT, and the overdue figures. Each part
/// reads its own slice of the rollups as <see cref="RollupSql"/> describes; overdue reads invoices_user_overdue_idx.
/// </summary>
internal static class DashboardQuery
{
    private const string Sql = $"""
        WITH wanted AS MATERIALIZED (
            SELECT * FROM {RollupSql.AllDimensionsInWindow} AS r
            WHERE {RollupSql.Wanted}
        ), providers AS (
            SELECT currency, value AS key, sum(sign * invoice_count) AS invoice_count, sum(sign * total) AS total,
                   row_number() OVER (PARTITION BY currency ORDER BY sum(sign * total) DESC, value) AS rank
            FROM wanted AS r
            WHERE dimension = 'provider'
            GROUP BY currency, value
            HAVING sum(sign * invoice_count) > 0
        ), parts AS (
            SELECT 'status' AS part, currency, status AS key, NULL::text AS label, NULL::text AS nit, NULL::date AS last_invoice_date,
                   sum(sign * invoice_count) AS invoice_count, sum(sign * total) AS total
            FROM wanted AS r
            WHERE dimension = 'all'
            GROUP BY currency, status
            HAVING sum(sign * invoice_count) > 0
            UNION ALL
            SELECT 'previous', currency, status, NULL, NULL, NULL, sum(sign * invoice_count), sum(sign * total)
            FROM {RollupSql.AllInPreviousWindow} AS r
            WHERE {RollupSql.Wanted}
            GROUP BY currency, status
            HAVING sum(sign * invoice_count) > 0
            UNION ALL
            SELECT 'category', currency, value, {RollupSql.LatestLabel}, NULL, NULL, sum(sign * invoice_count), sum(sign * total)
            FROM wanted AS r
            WHERE dimension = 'category'
            GROUP BY currency, value
            HAVING sum(sign * invoice_count) > 0
            UNION ALL
            SELECT 'method', currency, value, NULL, NULL, NULL, sum(sign * invoice_count), sum(sign * total)
            FROM wanted AS r
            WHERE dimension = 'payment_method'
            GROUP BY currency, value
            HAVING sum(sign * invoice_count) > 0
            UNION ALL
            SELECT 'provider', p.currency, p.key, coalesce(last.label, p.key),
                   (SELECT m.nit FROM invoice_rollups AS m
                    WHERE m.user_id = @userId AND m.dimension = 'provider' AND m.value = p.key AND m.currency = p.currency
                      AND m.grain = 'month' AND m.period >= date_trunc('month', @from::timestamp)::date AND m.period <= @to
                      AND m.nit <> '' AND m.invoice_count > 0
                    ORDER BY m.period DESC LIMIT 1),
                   last.period, p.invoice_count, p.total
            FROM providers AS p
            LEFT JOIN LATERAL (
                SELECT d.period, d.label FROM invoice_rollups AS d
                WHERE d.user_id = @userId AND d.dimension = 'provider' AND d.value = p.key AND d.currency = p.currency
                  AND d.grain = 'day' AND d.period >= @from AND d.period <= @to AND d.invoice_count > 0
                  AND (@includeVoid OR d.status <> 'void') AND (@includeArchived OR NOT d.archived)
                ORDER BY d.period DESC LIMIT 1) AS last ON true
            WHERE p.rank <= @top
            UNION ALL
            -- Overdue moves with the calendar, so it is read from the pending invoices themselves (the index alone);
            -- no invoice is due before it is dated (invoices_due_not_before_date), so due dates start at @from too.
            SELECT 'overdue', currency, '', NULL, NULL, NULL, count(*), sum(amount)
            FROM invoices
            WHERE user_id = @userId AND status = 'pending' AND due_date IS NOT NULL AND due_date >= @from AND due_date < @today
              AND date >= @from AND date <= @to
              AND (@currency::text IS NULL OR currency = @currency::text)
              AND (@includeArchived OR archived_at IS NULL)
            GROUP BY currency
        )
        SELECT part, currency, key, label, nit, last_invoice_date, invoice_count, total FROM parts
        ORDER BY part, currency, total DESC, key
        """;

    internal static async Task<List<DashboardRow>> ReadAsync(NpgsqlConnection connection, string userId, DateWindow window, DateWindow previous,
        StatsFilter filter, int top, DateOnly today, CancellationToken cancellationToken)
    {
        var (months, prevMonths) = (window.Months, previous.Months);
        return (await connection.QueryAsync<DashboardRow>(Sql, new
        {
            userId, from = window.From, to = window.To, today, top,
            currency = filter.Currency, includeVoid = filter.IncludeVoid, includeArchived = filter.IncludeArchived,
            yearFrom = months.YearFrom, yearTo = months.YearTo,
            monthAdd1From = months.Add1.First, monthAdd1To = months.Add1.Last, monthAdd2From = months.Add2.First, monthAdd2To = months.Add2.Last,
            monthSub1From = months.Sub1.First, monthSub1To = months.Sub1.Last, monthSub2From = months.Sub2.First, monthSub2To = months.Sub2.Last,
            add1From = window.Add1.First, add1To = window.Add1.Last, add2From = window.Add2.First, add2To = window.Add2.Last,
            sub1From = window.Sub1.First, sub1To = window.Sub1.Last, sub2From = window.Sub2.First, sub2To = window.Sub2.Last,
            prevYearFrom = prevMonths.YearFrom, prevYearTo = prevMonths.YearTo,
            prevMonthAdd1From = prevMonths.Add1.First, prevMonthAdd1To = prevMonths.Add1.Last,
            prevMonthAdd2From = prevMonths.Add2.First, prevMonthAdd2To = prevMonths.Add2.Last,
            prevMonthSub1From = prevMonths.Sub1.First, prevMonthSub1To = prevMonths.Sub1.Last,
            prevMonthSub2From = prevMonths.Sub2.First, prevMonthSub2To = prevMonths.Sub2.Last,
            prevAdd1From = previous.Add1.First, prevAdd1To = previous.Add1.Last, prevAdd2From = previous.Add2.First, prevAdd2To = previous.Add2.Last,
            prevSub1From = previous.Sub1.First, prevSub1To = previous.Sub1.Last, prevSub2From = previous.Sub2.First, prevSub2To = previous.Sub2.Last,
            cancellationToken,
        })).ToList();
    }
}
