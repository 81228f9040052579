using Stats.Model;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Requests;

namespace Stats.Requests;

/// <summary>Reads <c>from</c> and <c>to</c>: by default the last 12 calendar months, the current one up to today.</summary>
internal static class PeriodReader
{
    // Far enough for any invoice, near enough that a period and the one before it stay within the calendar.
    private static readonly DateOnly Earliest = new(1900, 1, 1);
    private static readonly DateOnly Latest = new(2999, 12, 31);

    internal static DateWindow Read(QueryReader query, CallerClock clock)
    {
        var from = query.Date("from", Earliest, Latest);
        var to = query.Date("to", Earliest, Latest) ?? clock.Today;
        from ??= new DateOnly(to.Year, to.Month, 1).AddMonths(-11);
        if (from > to)
        {
            query.Fail("from", $"Must be on or before to ({ApiJson.Date(to)}).");
            from = to;
        }
        // No invoice is dated after tomorrow (design/API.md), so days after it cost nothing to read.
        return DateWindow.Of(from.Value, to, clock.Today.AddDays(1));
    }
}
