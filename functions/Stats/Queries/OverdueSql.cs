using Stats.Model;

namespace Stats.Queries;

/// <summary>
/// The overdue figures (pending, due before today, dated in the period) from invoice_overdue_rollups (migration 0005):
/// the period's dates as whole months plus signed edge days (<see cref="DateWindow"/>), times the due dates before
/// today as whole months before this one plus this month's days. Rows of (currency, invoice_count, total), negative for subtracted days.
/// </summary>
internal static class OverdueSql
{
    private static string Signed(RollupPiece days) => days.Sign > 0 ? "invoice_count, total" : "-invoice_count AS invoice_count, -total AS total";

    internal static string Branches(PositionalParameters parameters, string user, DateWindow window, DateOnly today, bool includeArchived, string currency)
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
                 WHERE user_id = {user} AND date_grain = 'month' AND due_grain = 'month' AND date_period BETWEEN {first} AND {last}
                   AND due_period >= {first} AND due_period < {monthParameter}{kept}
                """);
            branches.Add($"""
                SELECT currency, invoice_count, total FROM invoice_overdue_rollups
                 WHERE user_id = {user} AND date_grain = 'month' AND due_grain = 'day' AND due_period >= {monthParameter} AND due_period < {todayParameter}
                   AND date_period BETWEEN {first} AND {last}{kept}
                """);
        }
        foreach (var days in RollupPiece.DaysOf(window))
        {
            var first = parameters.Add(days.First);
            var last = parameters.Add(days.Last);
            branches.Add($"""
                SELECT currency, {Signed(days)} FROM invoice_overdue_rollups
                 WHERE user_id = {user} AND date_grain = 'day' AND due_grain = 'month' AND date_period BETWEEN {first} AND {last}
                   AND due_period < {monthParameter}{kept}
                """);
            branches.Add($"""
                SELECT currency, {Signed(days)} FROM invoice_overdue_rollups
                 WHERE user_id = {user} AND date_grain = 'day' AND due_grain = 'day' AND date_period BETWEEN {first} AND {last}
                   AND due_period >= {monthParameter} AND due_period < {todayParameter}{kept}
                """);
        }
        // Every non-empty window has months or edge days; an empty list would still be valid SQL.
        return branches.Count == 0
            ? "SELECT ''::text AS currency, 0::bigint AS invoice_count, 0::numeric AS total WHERE false"
            : string.Join("\n    UNION ALL\n    ", branches);
    }
}
