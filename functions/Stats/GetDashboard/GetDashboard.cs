using System.Text.Json;
using System.Text.Json.Serialization;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Routing;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Requests;
using Microsoft.AspNetCore.Http;
using Stats.Caching;
using Stats.Figures;
using Stats.Periods;
using Stats.Rollups;

namespace Stats;

/// <summary>
/// <c>GET /dashboard?from=&amp;to=&amp;currency=&amp;include=void,archived&amp;top=&amp;tz=&amp;breakdown=created_by</c>: per
/// currency, the count, total and average of the account's invoices dated in the period, the same for the previous period
/// of equal length and the change in percent, breakdowns by status, category, payment method and top providers, the
/// pending and overdue figures, the taxes and withholdings of the period's invoices, and with <c>breakdown=created_by</c>
/// the invoices each member recorded.
/// </summary>
internal sealed class GetDashboard(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IRouteHandler
{
    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var query = new QueryReader(context.Request.Query);
        var request = DashboardRequest.Read(query, time);
        if (query.HasErrors)
        {
            return BadQuery.Of(query);
        }
        var accountId = context.GetCaller().AccountId;
        // Every figure in one statement (DashboardQuery): one round trip instead of six, and all from one snapshot.
        var body = await cache.ReadAsync(context, readOnly, accountId, request, async (connection, token) =>
            JsonSerializer.SerializeToUtf8Bytes(DashboardResponse.Of(request, await DashboardQuery.ReadAsync(connection, accountId, request, token)),
                StatsJson.Api.DashboardResponse));
        return TypedResults.Bytes(body, StatsJson.ContentType);
    }
}

/// <summary>What <c>GET /dashboard</c> asks for.</summary>
internal sealed record DashboardRequest(DateWindow Period, StatsFilter Filter, int Top, CallerClock Clock, bool ByCreatedBy)
{
    private static readonly string[] Breakdowns = ["created_by"];

    internal static DashboardRequest Read(QueryReader query, TimeProvider time)
    {
        var clock = CallerClock.Read(query, time);
        var period = PeriodReader.Read(query, clock);
        var filter = StatsFilter.Read(query);
        var top = query.WholeNumber("top", fallback: 10, min: 1, max: 50);
        var byCreatedBy = query.OneOf("breakdown", Breakdowns) is not null;
        return new DashboardRequest(period, filter, top, clock, byCreatedBy);
    }
}

/// <summary>The body of <c>GET /dashboard</c>.</summary>
internal sealed record DashboardResponse(DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, DateOnly Today, string TimeZone,
    List<CurrencyDashboard> Currencies)
{
    internal static DashboardResponse Of(DashboardRequest request, List<DashboardRow> rows)
    {
        var previous = request.Period.Previous();
        // Every currency with invoices in either period, so a currency that dropped to nothing still shows; the asked one always.
        var currencies = rows.Where(r => r.Part is "status" or "previous").Select(r => r.Currency)
            .Concat(request.Filter.Currency is { } asked ? [asked] : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new(request.Period.From, request.Period.To, previous.From, previous.To, request.Clock.Today, request.Clock.TimeZone,
            [.. currencies.Select(currency => CurrencyDashboard.Of(rows.Where(r => r.Currency == currency).ToList(), currency, request.ByCreatedBy))]);
    }
}

/// <summary>
/// One currency's figures on the dashboard; <see cref="ChangePercent"/> is null when the previous total was zero.
/// <see cref="Taxes"/> and <see cref="Withholdings"/> are the tax and withholding amounts of the period's invoices that
/// are neither void nor archived, whatever <c>include</c> says (invoice_tax_rollups holds no others: they owe no tax).
/// </summary>
internal sealed record CurrencyDashboard(string Currency, long Count, string Total, string? Average, PeriodTotals Previous, decimal? ChangePercent,
    List<StatusTotal> ByStatus, List<CategoryTotal> ByCategory, List<PaymentMethodTotal> ByPaymentMethod, List<ProviderFigures> TopProviders,
    CountAndTotal Pending, CountAndTotal Overdue, string Taxes, string Withholdings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<MemberTotal>? ByCreatedBy)
{
    internal static CurrencyDashboard Of(List<DashboardRow> rows, string currency, bool byCreatedBy)
    {
        List<DashboardRow> Part(string part) => [.. rows.Where(r => r.Part == part)];
        var statuses = Part("status");
        var previous = Part("previous");
        var (count, total) = (statuses.Sum(r => r.InvoiceCount), statuses.Sum(r => r.Total));
        var (previousCount, previousTotal) = (previous.Sum(r => r.InvoiceCount), previous.Sum(r => r.Total));
        var pending = statuses.FirstOrDefault(r => r.Key == "pending");
        var overdue = Part("overdue").FirstOrDefault();
        return new(currency, count, Money.Format(total), Money.Average(total, count),
            new PeriodTotals(previousCount, Money.Format(previousTotal), Money.Average(previousTotal, previousCount)),
            Money.ChangePercent(total, previousTotal),
            [.. statuses.Select(r => new StatusTotal(r.Label ?? r.Key, r.InvoiceCount, Money.Format(r.Total)))],
            [.. Part("category").Select(r => new CategoryTotal(r.Label ?? r.Key, r.InvoiceCount, Money.Format(r.Total)))],
            [.. Part("payment_method").Select(r => new PaymentMethodTotal(r.Label ?? (r.Key.Length == 0 ? null : r.Key), r.InvoiceCount, Money.Format(r.Total)))],
            [.. Part("provider").Select(r => new ProviderFigures(r.Label ?? r.Key, r.Nit, r.InvoiceCount, Money.Format(r.Total), r.LastInvoiceDate))],
            new CountAndTotal(pending?.InvoiceCount ?? 0, Money.Format(pending?.Total ?? 0)),
            new CountAndTotal(overdue?.InvoiceCount ?? 0, Money.Format(overdue?.Total ?? 0)),
            Money.Format(Part("taxes").Where(r => r.Key == "tax").Sum(r => r.Total)),
            Money.Format(Part("taxes").Where(r => r.Key == "withholding").Sum(r => r.Total)),
            byCreatedBy ? [.. Part("created_by").Select(r => new MemberTotal(r.Key, r.InvoiceCount, Money.Format(r.Total)))] : null);
    }
}

/// <summary>The previous period's figures.</summary>
internal sealed record PeriodTotals(long Count, string Total, string? Average);

/// <summary>A count and a total (pending, overdue).</summary>
internal sealed record CountAndTotal(long Count, string Total);

/// <summary>One status's figures.</summary>
internal sealed record StatusTotal(string Status, long Count, string Total);

/// <summary>One category's figures, the category as most recently spelled.</summary>
internal sealed record CategoryTotal(string Category, long Count, string Total);

/// <summary>The invoices one member recorded (<c>created_by</c>, the member's sub).</summary>
internal sealed record MemberTotal(string CreatedBy, long Count, string Total);

/// <summary>One payment method's figures; null for invoices without one.</summary>
internal sealed record PaymentMethodTotal(string? PaymentMethod, long Count, string Total);
