using System.Globalization;

namespace Stats.Figures;

/// <summary>Money as the API writes it: a decimal string with two decimals ("1234.50"), never a float.</summary>
internal static class Money
{
    internal static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The average of <paramref name="count"/> amounts, to the cent (half away from zero); null for none.</summary>
    internal static string? Average(decimal total, long count) =>
        count == 0 ? null : Format(Math.Round(total / count, 2, MidpointRounding.AwayFromZero));

    /// <summary>The change from <paramref name="previous"/> to <paramref name="current"/> in percent, to 2 decimals; null from zero.</summary>
    internal static decimal? ChangePercent(decimal current, decimal previous) =>
        previous == 0 ? null : Math.Round((current - previous) * 100 / previous, 2, MidpointRounding.AwayFromZero);
}
