using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Stats.Caching;
using Stats.Model;
using Stats.Problems;
using Stats.Queries;
using Stats.Requests;
using InvoiceApi.Functions.Api.Json;
using InvoiceApi.Functions.Api.Requests;

namespace Stats.Operations;

/// <summary>What <c>GET /providers</c> asks for.</summary>
internal sealed record ProvidersRequest(DateWindow Period, StatsFilter Filter, int Limit, CallerClock Clock)
{
    internal static (ProvidersRequest Request, QueryReader Query) Read(IQueryCollection parameters, TimeProvider time)
    {
        var query = new QueryReader(parameters);
        var clock = CallerClock.Read(query, time);
        var period = PeriodReader.Read(query, clock);
        var filter = StatsFilter.Read(query);
        var limit = query.WholeNumber("limit", fallback: 20, min: 1, max: 100);
        return (new ProvidersRequest(period, filter, limit, clock), query);
    }
}

/// <summary>
/// <c>GET /providers?from=&amp;to=&amp;limit=&amp;currency=&amp;include=&amp;tz=</c>: per currency, the caller's suppliers ranked by
/// amount in the period (default the last 12 months), each with count, total, last invoice date and NIT.
/// </summary>
internal sealed class GetProviders(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IStatsOperation
{
    public async Task HandleAsync(HttpContext context)
    {
        var (request, query) = ProvidersRequest.Read(context.Request.Query, time);
        if (query.HasErrors)
        {
            await ProblemWriter.WriteAsync(context, StatsProblems.BadQuery(query.Errors()));
            return;
        }
        var userId = context.GetCaller().UserId;
        var providers = await cache.ReadAsync(context, readOnly, userId, request,
            (connection, token) => ProviderRanking.ReadAsync(connection, userId, request.Period, request.Filter, request.Limit, token));
        await StatsJson.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("from", ApiJson.Date(request.Period.From));
            json.WriteString("to", ApiJson.Date(request.Period.To));
            json.WriteStartArray("currencies");
            foreach (var currency in providers.Select(p => p.Currency).Distinct(StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("currency", currency);
                json.WriteStartArray("providers");
                foreach (var provider in providers.Where(p => p.Currency == currency))
                {
                    ProviderJson.Write(json, provider);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
