using Stats.Periods;

namespace Stats.Rollups;

/// <summary>
/// One index range of rollup rows a <see cref="DateWindow"/> reads: the periods <see cref="First"/> to <see cref="Last"/>
/// at one grain (<c>year</c>, <c>month</c> or <c>day</c>), added (<see cref="Sign"/> 1) or subtracted (-1).
/// </summary>
internal readonly record struct RollupPiece(int Sign, string Grain, DateOnly First, DateOnly Last)
{
    /// <summary>
    /// The non-empty ranges of <paramref name="window"/>: whole years, edge months and edge days with their signs. Empty
    /// ones are left out of the statement rather than read, because each range is a plan node that costs its start-up.
    /// </summary>
    internal static List<RollupPiece> Of(DateWindow window)
    {
        var months = window.Months;
        var pieces = new List<RollupPiece>(9);
        if (months.YearFrom < months.YearTo)
        {
            pieces.Add(new RollupPiece(1, "year", months.YearFrom, months.YearTo.AddDays(-1)));
        }
        AddMonths(pieces, 1, months.Add1);
        AddMonths(pieces, 1, months.Add2);
        AddMonths(pieces, -1, months.Sub1);
        AddMonths(pieces, -1, months.Sub2);
        pieces.AddRange(DaysOf(window));
        return pieces;
    }

    /// <summary>The non-empty edge-day ranges of <paramref name="window"/> (the part read at day grain), with their signs.</summary>
    internal static List<RollupPiece> DaysOf(DateWindow window)
    {
        var pieces = new List<RollupPiece>(4);
        AddDays(pieces, 1, window.Add1);
        AddDays(pieces, 1, window.Add2);
        AddDays(pieces, -1, window.Sub1);
        AddDays(pieces, -1, window.Sub2);
        return pieces;
    }

    private static void AddMonths(List<RollupPiece> pieces, int sign, MonthRange months)
    {
        if (months.First <= months.Last)
        {
            pieces.Add(new RollupPiece(sign, "month", months.First, months.Last));
        }
    }

    private static void AddDays(List<RollupPiece> pieces, int sign, DayRange days)
    {
        if (days.First <= days.Last)
        {
            pieces.Add(new RollupPiece(sign, "day", days.First, days.Last));
        }
    }
}
