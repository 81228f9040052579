using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;
using Stats.Caching;
using Stats.Figures;
using Stats.Rollups;

namespace Stats;

/// <summary>
/// <c>GET /trend?months=12&amp;by=status|category|none&amp;currency=&amp;include=&amp;tz=</c>: per currency, a monthly series of
/// count and total ending with the current month (in <c>tz</c>, default America/Bogota), months without invoices as
/// zeros, optionally split by status or category (every group present in the series appears in every month).
/// </summary>
internal sealed class GetTrend(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IRouteHandler
{
    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var query = new QueryReader(context.Request.Query);
        var request = TrendRequest.Read(query, time);
        if (query.HasErrors)
        {
            return BadQuery.Of(query);
        }
        var accountId = context.GetCaller().AccountId;
        var body = await cache.ReadAsync(context, readOnly, accountId, request, async (connection, token) =>
            JsonSerializer.SerializeToUtf8Bytes(TrendResponse.Of(request, await TrendQuery.ReadAsync(connection, accountId, request, token)),
                StatsJson.Api.TrendResponse));
        return TypedResults.Bytes(body, StatsJson.ContentType);
    }
}

/// <summary>What <c>GET /trend</c> asks for: <paramref name="Months"/> months ending with the current one in the caller's zone.</summary>
internal sealed record TrendRequest(int Months, string By, StatsFilter Filter, CallerClock Clock)
{
    internal DateOnly FirstMonth => Clock.CurrentMonth.AddMonths(1 - Months);

    internal static TrendRequest Read(QueryReader query, TimeProvider time)
    {
        var months = query.WholeNumber("months", fallback: 12, min: 1, max: 60);
        var by = query.OneOf("by", ["none", "status", "category"]) ?? "none";
        var clock = CallerClock.Read(query, time);
        return new TrendRequest(months, by, StatsFilter.Read(query), clock);
    }
}

/// <summary>The body of <c>GET /trend</c>; months are written <c>yyyy-MM</c>.</summary>
internal sealed record TrendResponse(int Months, string By, string From, string To, string TimeZone, List<TrendSeries> Currencies)
{
    private static readonly string[] LiveStatuses = ["pending", "paid"];
    private static readonly string[] AllStatuses = ["pending", "paid", "void"];

    internal static TrendResponse Of(TrendRequest request, List<MonthlyTotal> rows) =>
        new(request.Months, request.By, Month(request.FirstMonth), Month(request.Clock.CurrentMonth), request.Clock.TimeZone,
            [.. CurrenciesOf(request, rows).Select(currency => Series(request, currency, [.. rows.Where(r => r.Currency == currency)]))]);

    // With no invoices at all, the asked currency (or the API's default, COP) still gets its series of zeros.
    private static List<string> CurrenciesOf(TrendRequest request, List<MonthlyTotal> rows)
    {
        var present = rows.Select(r => r.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return present.Count > 0 ? present : [request.Filter.Currency ?? "COP"];
    }

    private static TrendSeries Series(TrendRequest request, string currency, List<MonthlyTotal> rows)
    {
        var groups = Groups(request, rows);
        var series = new List<TrendMonth>(request.Months);
        for (var month = request.FirstMonth; month <= request.Clock.CurrentMonth; month = month.AddMonths(1))
        {
            var inMonth = rows.Where(r => r.Month == month).ToList();
            series.Add(new TrendMonth(Month(month), inMonth.Sum(r => r.InvoiceCount), Money.Format(inMonth.Sum(r => r.Total)),
                request.By == "none" ? null : [.. groups.Select(group => Group(group, inMonth.FirstOrDefault(r => r.Key == group.Key)))]));
        }
        return new TrendSeries(currency, series);
    }

    private static TrendGroup Group((string Key, string Label) group, MonthlyTotal? row) =>
        new(group.Key, group.Label, row?.InvoiceCount ?? 0, Money.Format(row?.Total ?? 0));

    // Statuses are a fixed list (void only when included); categories are those of the series, spelled as most recently written.
    private static List<(string Key, string Label)> Groups(TrendRequest request, List<MonthlyTotal> rows) => request.By switch
    {
        "status" => (request.Filter.IncludeVoid ? AllStatuses : LiveStatuses).Select(s => (s, s)).ToList(),
        "category" => rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.OrderByDescending(r => r.Month).Select(r => r.Label).FirstOrDefault(l => l is not null) ?? g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList(),
        _ => [],
    };

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>One currency's months, oldest first.</summary>
internal sealed record TrendSeries(string Currency, List<TrendMonth> Series);

/// <summary>One month's count and total; with <c>by</c>, every group of the series, zeros included.</summary>
internal sealed record TrendMonth(string Month, long Count, string Total,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<TrendGroup>? Groups);

/// <summary>One status or category in one month.</summary>
internal sealed record TrendGroup(string Key, string Label, long Count, string Total);
