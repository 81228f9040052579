namespace Stats.Model;

/// <summary>
/// A date range split the way the rollups are read: the whole months inside it at month grain
/// (<see cref="MonthFrom"/> to <see cref="MonthTo"/>, exclusive) and the partial months at its edges at day grain.
/// With no whole month inside, both month bounds are the day after <see cref="To"/> and every day is read at day grain.
/// </summary>
internal sealed record DateWindow(DateOnly From, DateOnly To, DateOnly MonthFrom, DateOnly MonthTo)
{
    internal static DateWindow Of(DateOnly from, DateOnly to)
    {
        var monthFrom = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var after = to.AddDays(1);
        var monthTo = new DateOnly(after.Year, after.Month, 1);
        return monthFrom < monthTo ? new DateWindow(from, to, monthFrom, monthTo) : new DateWindow(from, to, after, after);
    }

    /// <summary>The period of equal length that ends the day before this one starts.</summary>
    internal DateWindow Previous()
    {
        var days = To.DayNumber - From.DayNumber + 1;
        return Of(From.AddDays(-days), From.AddDays(-1));
    }
}
