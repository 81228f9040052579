using System.Text.RegularExpressions;

namespace InvoiceApi.Functions.Api.Requests;

/// <summary>
/// What day it is for the caller: the one rule both functions follow for "today" (the overdue filter and figures, Stats'
/// default windows, the latest date an invoice may carry, the day a payment is recorded on). It is the date in the
/// time zone a route's <c>tz</c> parameter names (IANA), or America/Bogota, the businesses' own, where a route takes none.
/// </summary>
public sealed partial record CallerClock(string TimeZone, DateOnly Today)
{
    /// <summary>The zone "today" is taken in when the caller names none.</summary>
    public const string DefaultTimeZone = "America/Bogota";

    private static readonly TimeZoneInfo DefaultZone = TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    /// <summary>Today in <see cref="DefaultTimeZone"/>, for routes that take no <c>tz</c>.</summary>
    public static CallerClock Default(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new CallerClock(DefaultTimeZone, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), DefaultZone).DateTime));
    }

    /// <summary>Reads <c>tz</c>; an unknown zone is an error, not a silent fall back to UTC.</summary>
    public static CallerClock Read(QueryReader query, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(time);
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

    /// <summary>The first day of today's month.</summary>
    public DateOnly CurrentMonth => new(Today.Year, Today.Month, 1);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+){0,2}$")]
    private static partial Regex ZoneName();
}
