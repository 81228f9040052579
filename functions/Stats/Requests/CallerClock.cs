using System.Text.RegularExpressions;
using InvoiceApi.Functions.Api.Requests;

namespace Stats.Requests;

/// <summary>The caller's time zone (IANA, <c>tz</c>, default America/Bogota) and what day it is there today.</summary>
internal sealed partial record CallerClock(string TimeZone, DateOnly Today)
{
    internal const string DefaultTimeZone = "America/Bogota";

    /// <summary>Reads <c>tz</c>; an unknown zone is an error, not a silent fall back to UTC.</summary>
    internal static CallerClock Read(QueryReader query, TimeProvider time)
    {
        var name = query.Text("tz") ?? DefaultTimeZone;
        TimeZoneInfo? zone = null;
        // The id becomes a file path under the zoneinfo directory: only the shapes IANA names have get that far.
        // The Try form: a name that is a directory there (America, Etc) makes FindSystemTimeZoneById throw a
        // SecurityException, which is a bad parameter too, not a server error.
        if (ZoneName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal) && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found))
        {
            zone = found;
        }
        if (zone is null)
        {
            query.Fail("tz", $"'{name}' is not a known IANA time zone, such as America/Bogota or UTC.");
            zone = TimeZoneInfo.Utc;
        }
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
        return new CallerClock(name, DateOnly.FromDateTime(now.DateTime));
    }

    internal DateOnly CurrentMonth => new(Today.Year, Today.Month, 1);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+){0,2}$")]
    private static partial Regex ZoneName();
}
