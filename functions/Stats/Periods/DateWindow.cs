namespace Stats.Periods;

/// <summary>A run of days read at day grain; empty when <see cref="First"/> is after <see cref="Last"/>.</summary>
internal readonly record struct DayRange(DateOnly First, DateOnly Last)
{
    internal static readonly DayRange None = new(new DateOnly(2000, 1, 2), new DateOnly(2000, 1, 1));
}

/// <summary>
/// A date range as the rollups read it: the months from <see cref="MonthFrom"/> to <see cref="MonthTo"/> (exclusive) at
/// month grain, plus the days of <see cref="Add1"/> and <see cref="Add2"/>, minus the days of <see cref="Sub1"/> and
/// <see cref="Sub2"/>. A partial edge month is either added day by day or taken whole with its outside days subtracted,
/// whichever reads fewer days that can hold invoices (none is dated after <see cref="LastPossible"/>): the current month
/// up to today is the whole month minus tomorrow, not thirty days of rows.
/// </summary>
internal sealed record DateWindow(DateOnly From, DateOnly To, DateOnly LastPossible, DateOnly MonthFrom, DateOnly MonthTo,
    DayRange Add1, DayRange Add2, DayRange Sub1, DayRange Sub2)
{
    /// <summary>The whole months <see cref="MonthFrom"/> to <see cref="MonthTo"/> as year rows plus or minus edge months.</summary>
    internal MonthSpan Months => MonthSpan.Of(MonthFrom, MonthTo, LastPossible);

    internal static DateWindow Of(DateOnly from, DateOnly to, DateOnly lastPossible)
    {
        var fromMonth = FirstOfMonth(from);
        var toMonth = FirstOfMonth(to);
        var monthFrom = from == fromMonth ? from : fromMonth.AddMonths(1);
        var monthTo = to == LastOfMonth(to) ? toMonth.AddMonths(1) : toMonth;
        int Cost(DayRange days) => Math.Max(0, (days.Last < lastPossible ? days.Last : lastPossible).DayNumber - days.First.DayNumber + 1);
        var head = new DayRange(fromMonth, from.AddDays(-1));
        var tail = new DayRange(to.AddDays(1), LastOfMonth(to));
        if (fromMonth == toMonth && monthFrom > monthTo)
        {
            // Inside one month: its days, or the whole month minus the days before and after.
            var days = new DayRange(from, to);
            return Cost(days) <= Cost(head) + Cost(tail)
                ? new DateWindow(from, to, lastPossible, fromMonth, fromMonth, days, DayRange.None, DayRange.None, DayRange.None)
                : new DateWindow(from, to, lastPossible, fromMonth, fromMonth.AddMonths(1), DayRange.None, DayRange.None, head, tail);
        }
        DayRange add1 = DayRange.None, add2 = DayRange.None, sub1 = DayRange.None, sub2 = DayRange.None;
        if (from != fromMonth)
        {
            var lead = new DayRange(from, LastOfMonth(from));
            (add1, sub1, monthFrom) = Cost(lead) <= Cost(head) ? (lead, DayRange.None, monthFrom) : (DayRange.None, head, fromMonth);
        }
        if (monthTo == toMonth)
        {
            var trail = new DayRange(toMonth, to);
            (add2, sub2, monthTo) = Cost(trail) <= Cost(tail) ? (trail, DayRange.None, monthTo) : (DayRange.None, tail, toMonth.AddMonths(1));
        }
        return new DateWindow(from, to, lastPossible, monthFrom, monthTo, add1, add2, sub1, sub2);
    }

    /// <summary>The period of equal length that ends the day before this one starts.</summary>
    internal DateWindow Previous()
    {
        var days = To.DayNumber - From.DayNumber + 1;
        return Of(From.AddDays(-days), From.AddDays(-1), LastPossible);
    }

    private static DateOnly FirstOfMonth(DateOnly date) => new(date.Year, date.Month, 1);

    private static DateOnly LastOfMonth(DateOnly date) => FirstOfMonth(date).AddMonths(1).AddDays(-1);
}
