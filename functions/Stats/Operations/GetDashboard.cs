using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Stats.Caching;
using Stats.Model;
using Stats.Problems;
using Stats.Queries;
using Stats.Requests;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Requests;

namespace Stats.Operations;

/// <summary>What <c>GET /dashboard</c> asks for.</summary>
internal sealed record DashboardRequest(DateWindow Period, StatsFilter Filter, int Top, CallerClock Clock)
{
    internal static (DashboardRequest Request, QueryReader Query) Read(IQueryCollection parameters, TimeProvider time)
    {
        var query = new QueryReader(parameters);
        var clock = CallerClock.Read(query, time);
        var period = PeriodReader.Read(query, clock);
        var filter = StatsFilter.Read(query);
        var top = query.WholeNumber("top", fallback: 10, min: 1, max: 50);
        return (new DashboardRequest(period, filter, top, clock), query);
    }
}

/// <summary>
/// <c>GET /dashboard?from=&amp;to=&amp;currency=&amp;include=void,archived&amp;top=&amp;tz=</c>: per currency, the count, total
/// and average of the caller's invoices dated in the period, the same for the previous period of equal length and the
/// change in percent, breakdowns by status, category, payment method and top providers, and the pending and overdue figures.
/// </summary>
internal sealed class GetDashboard(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IStatsOperation
{
    public async Task HandleAsync(HttpContext context)
    {
        var (request, query) = DashboardRequest.Read(context.Request.Query, time);
        if (query.HasErrors)
        {
            await ProblemWriter.WriteAsync(context, StatsProblems.BadQuery(query.Errors()));
            return;
        }
        var userId = context.GetCaller().UserId;
        var figures = await cache.ReadAsync(context, readOnly, userId, request, (connection, token) => ReadAsync(connection, userId, request, token));
        await StatsJson.WriteAsync(context, json => Write(json, request, figures));
    }

    // Every figure in one statement: one round trip instead of six, and all from one snapshot.
    private static async Task<DashboardFigures> ReadAsync(NpgsqlConnection connection, string userId, DashboardRequest request, CancellationToken token)
    {
        var rows = await DashboardQuery.ReadAsync(connection, userId, request.Period, request.Period.Previous(), request.Filter, request.Top,
            request.Clock.Today, token);
        List<KeyedTotal> Part(string part) => [.. rows.Where(r => r.Part == part).Select(r => new KeyedTotal
        {
            Currency = r.Currency, Key = r.Key, Label = r.Label, InvoiceCount = r.InvoiceCount, Total = r.Total,
        })];
        var providers = rows.Where(r => r.Part == "provider").Select(r => new ProviderTotal
        {
            Currency = r.Currency, Key = r.Key, Name = r.Label, Nit = r.Nit, InvoiceCount = r.InvoiceCount, Total = r.Total,
            LastInvoiceDate = r.LastInvoiceDate,
        }).ToList();
        return new(Part("status"), Part("previous"), Part("category"), Part("payment_method"), providers, Part("overdue"));
    }

    private static void Write(Utf8JsonWriter json, DashboardRequest request, DashboardFigures figures)
    {
        var previous = request.Period.Previous();
        json.WriteStartObject();
        json.WriteString("from", ApiJson.Date(request.Period.From));
        json.WriteString("to", ApiJson.Date(request.Period.To));
        json.WriteString("previous_from", ApiJson.Date(previous.From));
        json.WriteString("previous_to", ApiJson.Date(previous.To));
        json.WriteString("today", ApiJson.Date(request.Clock.Today));
        json.WriteString("time_zone", request.Clock.TimeZone);
        json.WriteStartArray("currencies");
        foreach (var currency in figures.Currencies(request.Filter.Currency))
        {
            WriteCurrency(json, currency, figures);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCurrency(Utf8JsonWriter json, string currency, DashboardFigures figures)
    {
        var (count, total) = Sum(figures.Statuses, currency);
        var (previousCount, previousTotal) = Sum(figures.PreviousStatuses, currency);
        json.WriteStartObject();
        json.WriteString("currency", currency);
        StatsJson.WriteCountAndTotal(json, count, total);
        StatsJson.WriteNullable(json, "average", Money.Average(total, count));
        json.WriteStartObject("previous");
        StatsJson.WriteCountAndTotal(json, previousCount, previousTotal);
        StatsJson.WriteNullable(json, "average", Money.Average(previousTotal, previousCount));
        json.WriteEndObject();
        if (Money.ChangePercent(total, previousTotal) is { } change)
        {
            json.WriteNumber("change_percent", change);
        }
        else
        {
            json.WriteNull("change_percent");
        }
        WriteBreakdown(json, "by_status", "status", figures.Statuses, currency, key => key);
        WriteBreakdown(json, "by_category", "category", figures.Categories, currency, key => key);
        WriteBreakdown(json, "by_payment_method", "payment_method", figures.PaymentMethods, currency, key => key.Length == 0 ? null : key);
        json.WriteStartArray("top_providers");
        foreach (var provider in figures.Providers.Where(p => p.Currency == currency))
        {
            ProviderJson.Write(json, provider);
        }
        json.WriteEndArray();
        var pending = figures.Statuses.FirstOrDefault(s => s.Currency == currency && s.Key == "pending");
        json.WriteStartObject("pending");
        StatsJson.WriteCountAndTotal(json, pending?.InvoiceCount ?? 0, pending?.Total ?? 0);
        json.WriteEndObject();
        var overdue = figures.Overdue.FirstOrDefault(s => s.Currency == currency);
        json.WriteStartObject("overdue");
        StatsJson.WriteCountAndTotal(json, overdue?.InvoiceCount ?? 0, overdue?.Total ?? 0);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteBreakdown(Utf8JsonWriter json, string name, string keyName, List<KeyedTotal> rows, string currency, Func<string, string?> key)
    {
        json.WriteStartArray(name);
        foreach (var row in rows.Where(r => r.Currency == currency))
        {
            json.WriteStartObject();
            StatsJson.WriteNullable(json, keyName, row.Label ?? key(row.Key));
            StatsJson.WriteCountAndTotal(json, row.InvoiceCount, row.Total);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static (long Count, decimal Total) Sum(List<KeyedTotal> rows, string currency) =>
        (rows.Where(r => r.Currency == currency).Sum(r => r.InvoiceCount), rows.Where(r => r.Currency == currency).Sum(r => r.Total));

    private sealed record DashboardFigures(List<KeyedTotal> Statuses, List<KeyedTotal> PreviousStatuses, List<KeyedTotal> Categories,
        List<KeyedTotal> PaymentMethods, List<ProviderTotal> Providers, List<KeyedTotal> Overdue)
    {
        // Every currency with invoices in either period, so a currency that dropped to nothing still shows; the asked one always.
        internal IEnumerable<string> Currencies(string? asked) =>
            Statuses.Select(s => s.Currency).Concat(PreviousStatuses.Select(s => s.Currency)).Concat(asked is null ? [] : [asked])
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }
}
