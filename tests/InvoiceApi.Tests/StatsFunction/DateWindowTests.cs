using Stats.Periods;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>How a period is split into month rows and edge days (the exactness test proves the sums; these pin the choices).</summary>
public sealed class DateWindowTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_current_month_up_to_today_is_the_whole_month_minus_tomorrow_on()
    {
        var window = DateWindow.Of(D("2025-12-01"), D("2026-11-24"), lastPossible: D("2026-11-25"));

        Assert.Equal((D("2025-12-01"), D("2026-12-01")), (window.MonthFrom, window.MonthTo));
        Assert.Equal(new DayRange(D("2026-11-25"), D("2026-11-30")), window.Sub2);
        Assert.Equal([DayRange.None, DayRange.None, DayRange.None], new[] { window.Add1, window.Add2, window.Sub1 });
    }

    [Fact]
    public void Partial_months_in_the_past_take_the_fewer_days()
    {
        // The 3rd to the 27th of a past month: adding 25 days costs more than subtracting 2 + 4.
        var inside = DateWindow.Of(D("2026-03-03"), D("2026-03-27"), lastPossible: D("2026-11-25"));
        var edges = DateWindow.Of(D("2026-01-29"), D("2026-04-02"), lastPossible: D("2026-11-25"));

        Assert.Equal((D("2026-03-01"), D("2026-04-01")), (inside.MonthFrom, inside.MonthTo));
        Assert.Equal((new DayRange(D("2026-03-01"), D("2026-03-02")), new DayRange(D("2026-03-28"), D("2026-03-31"))), (inside.Sub1, inside.Sub2));
        Assert.Equal((D("2026-02-01"), D("2026-04-01")), (edges.MonthFrom, edges.MonthTo));
        Assert.Equal((new DayRange(D("2026-01-29"), D("2026-01-31")), new DayRange(D("2026-04-01"), D("2026-04-02"))), (edges.Add1, edges.Add2));
    }

    [Fact]
    public void The_previous_period_has_the_same_number_of_days()
    {
        var previous = DateWindow.Of(D("2026-03-10"), D("2026-03-19"), lastPossible: D("2026-11-25")).Previous();

        Assert.Equal((D("2026-02-28"), D("2026-03-09")), (previous.From, previous.To));
    }

    [Fact]
    public void The_last_twelve_months_are_last_december_plus_this_year_minus_next_month()
    {
        var months = DateWindow.Of(D("2025-12-01"), D("2026-11-24"), lastPossible: D("2026-11-25")).Months;

        Assert.Equal((D("2026-01-01"), D("2027-01-01")), (months.YearFrom, months.YearTo));
        Assert.Equal((new MonthRange(D("2025-12-01"), D("2025-12-01")), new MonthRange(D("2026-12-01"), D("2026-12-01"))), (months.Add1, months.Sub2));
        Assert.Equal([MonthRange.None, MonthRange.None], new[] { months.Add2, months.Sub1 });
    }

    [Fact]
    public void Months_inside_one_past_year_are_read_as_months_when_that_is_fewer()
    {
        var spring = MonthSpan.Of(D("2025-03-01"), D("2025-06-01"), lastPossible: D("2026-11-25"));
        var mostOfYear = MonthSpan.Of(D("2025-02-01"), D("2025-12-01"), lastPossible: D("2026-11-25"));

        Assert.Equal(new MonthRange(D("2025-03-01"), D("2025-05-01")), spring.Add1);
        Assert.Equal(spring.YearFrom, spring.YearTo);
        Assert.Equal((D("2025-01-01"), D("2026-01-01")), (mostOfYear.YearFrom, mostOfYear.YearTo));
        Assert.Equal((new MonthRange(D("2025-01-01"), D("2025-01-01")), new MonthRange(D("2025-12-01"), D("2025-12-01"))), (mostOfYear.Sub1, mostOfYear.Sub2));
    }
}
