using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Stats.Caching;
using Stats.Figures;
using Stats.Periods;
using Stats.Rollups;

namespace Stats;

/// <summary>
/// <c>GET /providers?from=&amp;to=&amp;limit=&amp;currency=&amp;include=&amp;tz=</c>: per currency, the account's suppliers ranked by
/// amount in the period (default the last 12 months), each with count, total, last invoice date and NIT.
/// </summary>
internal sealed class GetProviders(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IRouteHandler
{
    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var query = new QueryReader(context.Request.Query);
        var request = ProvidersRequest.Read(query, time);
        if (query.HasErrors)
        {
            return BadQuery.Of(query);
        }
        var accountId = context.GetCaller().AccountId;
        var body = await cache.ReadAsync(context, readOnly, accountId, request, async (connection, token) =>
            JsonSerializer.SerializeToUtf8Bytes(ProvidersResponse.Of(request, await ReadAsync(connection, accountId, request, token)),
                StatsJson.Api.ProvidersResponse));
        return TypedResults.Bytes(body, StatsJson.ContentType);
    }

    // The ranking /dashboard's top providers use, over the period's provider rows alone.
    private static async Task<List<(string Currency, ProviderFigures Provider)>> ReadAsync(NpgsqlConnection connection, string accountId,
        ProvidersRequest request, CancellationToken cancellationToken)
    {
        var parameters = new PositionalParameters();
        var account = parameters.Add(accountId);
        var from = parameters.Add(request.Period.From);
        var to = parameters.Add(request.Period.To);
        var source = RollupSource.For(request.Filter);
        var rows = source.Rows(parameters, account, request.Period, RollupSource.CurrencyCondition(parameters, request.Filter), "provider");
        var sql = $"""
            {ProviderRanking.Top(source, rows, account, from, to, parameters.Add(request.Limit))}
            ORDER BY currency, total DESC, key
            """;
        await using var batch = parameters.Scoped(sql, accountId, connection);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var providers = new List<(string, ProviderFigures)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            providers.Add((reader.GetString(0), new ProviderFigures(
                Provider: reader.GetString(2),
                Nit: reader.IsDBNull(3) ? null : reader.GetString(3),
                Count: reader.GetInt64(5),
                Total: Money.Format(reader.GetDecimal(6)),
                LastInvoiceDate: reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4))));
        }
        return providers;
    }
}

/// <summary>What <c>GET /providers</c> asks for.</summary>
internal sealed record ProvidersRequest(DateWindow Period, StatsFilter Filter, int Limit, CallerClock Clock)
{
    internal static ProvidersRequest Read(QueryReader query, TimeProvider time)
    {
        var clock = CallerClock.Read(query, time);
        var period = PeriodReader.Read(query, clock);
        var filter = StatsFilter.Read(query);
        var limit = query.WholeNumber("limit", fallback: 20, min: 1, max: 100);
        return new ProvidersRequest(period, filter, limit, clock);
    }
}

/// <summary>The body of <c>GET /providers</c>.</summary>
internal sealed record ProvidersResponse(DateOnly From, DateOnly To, List<CurrencyProviders> Currencies)
{
    internal static ProvidersResponse Of(ProvidersRequest request, List<(string Currency, ProviderFigures Provider)> ranked) =>
        new(request.Period.From, request.Period.To, [.. ranked.GroupBy(r => r.Currency, StringComparer.Ordinal)
            .Select(currency => new CurrencyProviders(currency.Key, [.. currency.Select(r => r.Provider)]))]);
}

/// <summary>One currency's suppliers, largest total first.</summary>
internal sealed record CurrencyProviders(string Currency, List<ProviderFigures> Providers);
