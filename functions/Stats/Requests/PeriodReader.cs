using Stats.Model;
using InvoiceApi.Functions.Hosting.Json;

namespace Stats.Requests;

/// <summary>Reads <c>from</c> and <c>to</c>: by default the last 12 calendar months, the current one up to today.</summary>
internal static class PeriodReader
{
    internal static readonly string[] Parameters = ["from", "to"];

    internal static DateWindow Read(QueryReader query, CallerClock clock)
    {
        var from = query.Date("from");
        var to = query.Date("to") ?? clock.Today;
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
