using System.Text.Json;
using Dapper;
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
using InvoiceApi.Functions.Api.Requests;

namespace Stats.Operations;

/// <summary>What <c>GET /trend</c> asks for: <paramref name="Months"/> months ending with the current one in the caller's zone.</summary>
internal sealed record TrendRequest(int Months, string By, StatsFilter Filter, CallerClock Clock)
{
    internal DateOnly FirstMonth => Clock.CurrentMonth.AddMonths(1 - Months);

    internal static (TrendRequest Request, QueryReader Query) Read(IQueryCollection parameters, TimeProvider time)
    {
        var query = new QueryReader(parameters);
        var months = query.WholeNumber("months", fallback: 12, min: 1, max: 60);
        var by = query.OneOf("by", ["none", "status", "category"]) ?? "none";
        var clock = CallerClock.Read(query, time);
        return (new TrendRequest(months, by, StatsFilter.Read(query), clock), query);
    }
}

/// <summary>
/// <c>GET /trend?months=12&amp;by=status|category|none&amp;currency=&amp;include=&amp;tz=</c>: per currency, a monthly series of
/// count and total ending with the current month (in <c>tz</c>, default America/Bogota), months without invoices as
/// zeros, optionally split by status or category (every group present in the series appears in every month).
/// </summary>
internal sealed class GetTrend(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IStatsOperation
{
    private static readonly string[] LiveStatuses = ["pending", "paid"];
    private static readonly string[] AllStatuses = ["pending", "paid", "void"];

    public async Task HandleAsync(HttpContext context)
    {
        var (request, query) = TrendRequest.Read(context.Request.Query, time);
        if (query.HasErrors)
        {
            await ProblemWriter.WriteAsync(context, StatsProblems.BadQuery(query.Errors()));
            return;
        }
        var userId = context.GetCaller().UserId;
        var rows = await cache.ReadAsync(context, readOnly, userId, request, (connection, cancellationToken) => request.By == "category"
            ? ReadCategoriesAsync(connection, userId, request, cancellationToken)
            : ReadTotalsAsync(connection, userId, request, cancellationToken));
        await StatsJson.WriteAsync(context, json => Write(json, request, rows));
    }

    // Months of the 'all' dimension, split by status or not: count and total come from the index alone.
    private static async Task<List<MonthlyTotal>> ReadTotalsAsync(NpgsqlConnection connection, string userId, TrendRequest request, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<MonthlyTotal>($"""
            SELECT period AS month, currency, CASE WHEN @byStatus THEN status ELSE '' END AS key, NULL::text AS label,
                   sum(invoice_count) AS invoice_count, sum(total) AS total
            FROM invoice_rollups
            WHERE user_id = @userId AND dimension = 'all' AND grain = 'month' AND period >= @firstMonth AND period <= @lastMonth
              AND {RollupSql.Wanted}
            GROUP BY 1, 2, 3
            """,
            new
            {
                userId, byStatus = request.By == "status", firstMonth = request.FirstMonth, lastMonth = request.Clock.CurrentMonth,
                currency = request.Filter.Currency, includeVoid = request.Filter.IncludeVoid, includeArchived = request.Filter.IncludeArchived,
                cancellationToken,
            })).ToList();

    // Months split by category, each shown as most recently spelled.
    private static async Task<List<MonthlyTotal>> ReadCategoriesAsync(NpgsqlConnection connection, string userId, TrendRequest request, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<MonthlyTotal>($"""
            SELECT period AS month, currency, value AS key,
                   (array_agg(label ORDER BY invoice_count DESC) FILTER (WHERE label IS NOT NULL))[1] AS label,
                   sum(invoice_count) AS invoice_count, sum(total) AS total
            FROM invoice_rollups
            WHERE user_id = @userId AND dimension = 'category' AND grain = 'month' AND period >= @firstMonth AND period <= @lastMonth
              AND {RollupSql.Wanted}
            GROUP BY 1, 2, 3
            """,
            new
            {
                userId, firstMonth = request.FirstMonth, lastMonth = request.Clock.CurrentMonth,
                currency = request.Filter.Currency, includeVoid = request.Filter.IncludeVoid, includeArchived = request.Filter.IncludeArchived,
                cancellationToken,
            })).ToList();

    private static void Write(Utf8JsonWriter json, TrendRequest request, List<MonthlyTotal> rows)
    {
        json.WriteStartObject();
        json.WriteNumber("months", request.Months);
        json.WriteString("by", request.By);
        json.WriteString("from", StatsJson.Month(request.FirstMonth));
        json.WriteString("to", StatsJson.Month(request.Clock.CurrentMonth));
        json.WriteString("time_zone", request.Clock.TimeZone);
        json.WriteStartArray("currencies");
        foreach (var currency in Currencies(request, rows))
        {
            WriteSeries(json, request, currency, rows.Where(r => r.Currency == currency).ToList());
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    // With no invoices at all, the asked currency (or the API's default, COP) still gets its series of zeros.
    private static List<string> Currencies(TrendRequest request, List<MonthlyTotal> rows)
    {
        var present = rows.Select(r => r.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return present.Count > 0 ? present : [request.Filter.Currency ?? "COP"];
    }

    private static void WriteSeries(Utf8JsonWriter json, TrendRequest request, string currency, List<MonthlyTotal> rows)
    {
        var groups = Groups(request, rows);
        json.WriteStartObject();
        json.WriteString("currency", currency);
        json.WriteStartArray("series");
        for (var month = request.FirstMonth; month <= request.Clock.CurrentMonth; month = month.AddMonths(1))
        {
            var inMonth = rows.Where(r => r.Month == month).ToList();
            json.WriteStartObject();
            json.WriteString("month", StatsJson.Month(month));
            StatsJson.WriteCountAndTotal(json, inMonth.Sum(r => r.InvoiceCount), inMonth.Sum(r => r.Total));
            if (request.By != "none")
            {
                json.WriteStartArray("groups");
                foreach (var (key, label) in groups)
                {
                    var row = inMonth.FirstOrDefault(r => r.Key == key);
                    json.WriteStartObject();
                    json.WriteString("key", key);
                    json.WriteString("label", label);
                    StatsJson.WriteCountAndTotal(json, row?.InvoiceCount ?? 0, row?.Total ?? 0);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    // Statuses are a fixed list (void only when included); categories are those of the series, spelled as most recently written.
    private static List<(string Key, string Label)> Groups(TrendRequest request, List<MonthlyTotal> rows) => request.By switch
    {
        "status" => (request.Filter.IncludeVoid ? AllStatuses : LiveStatuses).Select(s => (s, s)).ToList(),
        "category" => rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.OrderByDescending(r => r.Month).Select(r => r.Label).FirstOrDefault(l => l is not null) ?? g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList(),
        _ => [],
    };
}
