namespace Stats.Periods;

/// <summary>A run of months read at month grain (period = first of each month); empty when <see cref="First"/> is after <see cref="Last"/>.</summary>
internal readonly record struct MonthRange(DateOnly First, DateOnly Last)
{
    internal static readonly MonthRange None = new(new DateOnly(2000, 2, 1), new DateOnly(2000, 1, 1));
}

/// <summary>
/// Whole months from <c>monthFrom</c> to <c>monthTo</c> (exclusive) as the rollups read them: the years from
/// <see cref="YearFrom"/> to <see cref="YearTo"/> (exclusive) at year grain, plus the months of <see cref="Add1"/> and
/// <see cref="Add2"/>, minus the months of <see cref="Sub1"/> and <see cref="Sub2"/>. A partial edge year is added month by
/// month or taken whole with its outside months subtracted, whichever reads fewer months that can hold invoices: the
/// last twelve months are last December plus this year minus next month, about two months of rows instead of twelve.
/// </summary>
internal sealed record MonthSpan(DateOnly YearFrom, DateOnly YearTo, MonthRange Add1, MonthRange Add2, MonthRange Sub1, MonthRange Sub2)
{
    internal static MonthSpan Of(DateOnly monthFrom, DateOnly monthTo, DateOnly lastPossible)
    {
        var none = new MonthSpan(monthFrom, monthFrom, MonthRange.None, MonthRange.None, MonthRange.None, MonthRange.None);
        if (monthFrom >= monthTo)
        {
            return none;
        }
        var last = monthTo.AddMonths(-1);
        var fromYear = new DateOnly(monthFrom.Year, 1, 1);
        var toYear = new DateOnly(last.Year, 1, 1);
        // A year row costs about as much as one month's; months after the last possible invoice cost nothing.
        int Cost(MonthRange months) => months.First > months.Last || months.First > lastPossible ? 0
            : ((months.Last < lastPossible ? months.Last : lastPossible).Year * 12 + (months.Last < lastPossible ? months.Last : lastPossible).Month)
              - (months.First.Year * 12 + months.First.Month) + 1;
        var head = new MonthRange(fromYear, monthFrom.AddMonths(-1));
        var tail = new MonthRange(monthTo, toYear.AddMonths(11));
        if (fromYear == toYear)
        {
            // Inside one year: its months, or the whole year minus the months before and after.
            var months = new MonthRange(monthFrom, last);
            return Cost(months) <= 1 + Cost(head) + Cost(tail)
                ? none with { Add1 = months }
                : new MonthSpan(fromYear, fromYear.AddYears(1), MonthRange.None, MonthRange.None, head, tail);
        }
        var span = new MonthSpan(monthFrom.Month == 1 ? fromYear : fromYear.AddYears(1), last.Month == 12 ? toYear.AddYears(1) : toYear,
            MonthRange.None, MonthRange.None, MonthRange.None, MonthRange.None);
        if (monthFrom.Month != 1)
        {
            var lead = new MonthRange(monthFrom, fromYear.AddMonths(11));
            span = Cost(lead) <= 1 + Cost(head) ? span with { Add1 = lead } : span with { YearFrom = fromYear, Sub1 = head };
        }
        if (last.Month != 12)
        {
            var trail = new MonthRange(toYear, last);
            span = Cost(trail) <= 1 + Cost(tail) ? span with { Add2 = trail } : span with { YearTo = toYear.AddYears(1), Sub2 = tail };
        }
        return span;
    }
}
