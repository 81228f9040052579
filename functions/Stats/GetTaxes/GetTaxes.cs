using System.Globalization;
using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Functions.Api.Routing;
using Microsoft.AspNetCore.Http;
using Stats.Caching;
using Stats.Figures;

namespace Stats;

/// <summary>
/// <c>GET /taxes?year=&amp;period=bimonthly|four-monthly&amp;tz=</c>: per currency and IVA declaration period of the year
/// (every period, empty ones as zeros), the IVA by rate, the other taxes and the withholdings by scheme and rate, and
/// totals, of the account's invoices that count by default (not void, not archived), by issue date.
/// </summary>
internal sealed class GetTaxes(ReplicaReadOnlyQuery readOnly, FiguresCache cache, TimeProvider time) : IRouteHandler
{
    public async Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        var query = new QueryReader(context.Request.Query);
        var request = TaxesRequest.Read(query, time);
        if (query.HasErrors)
        {
            return BadQuery.Of(query);
        }
        var accountId = context.GetCaller().AccountId;
        var body = await cache.ReadAsync(context, readOnly, accountId, request, async (connection, token) =>
            JsonSerializer.SerializeToUtf8Bytes(TaxesResponse.Of(request, await TaxesQuery.ReadAsync(connection, accountId, request, token)),
                StatsJson.Api.TaxesResponse));
        return TypedResults.Bytes(body, StatsJson.ContentType);
    }
}

/// <summary>
/// What <c>GET /taxes</c> asks for: a calendar year (default: the current one in <c>tz</c>, America/Bogota unless
/// named) cut into IVA periods, <c>bimonthly</c> (six, the larger taxpayers') or <c>four-monthly</c> (three). The body
/// depends on these two alone, so they are the figures cache's key.
/// </summary>
internal sealed record TaxesRequest(int Year, string Period)
{
    internal const string Bimonthly = "bimonthly";
    internal const string FourMonthly = "four-monthly";

    // Invoices may be dated from 1900 to 2999 (PeriodReader's bounds).
    private const int FirstYear = 1900;
    private const int LastYear = 2999;

    internal int MonthsPerPeriod => Period == Bimonthly ? 2 : 4;

    internal static TaxesRequest Read(QueryReader query, TimeProvider time)
    {
        var clock = CallerClock.Read(query, time);
        var year = query.WholeNumber("year", fallback: clock.Today.Year, min: FirstYear, max: LastYear);
        var period = query.OneOf("period", [Bimonthly, FourMonthly]) ?? Bimonthly;
        return new TaxesRequest(year, period);
    }
}

/// <summary>The body of <c>GET /taxes</c>.</summary>
internal sealed record TaxesResponse(int Year, string Period, List<CurrencyTaxes> Currencies)
{
    // IVA is scheme 01 (DIAN's tax scheme codes); every other tax scheme is reported by scheme and rate.
    internal const string IvaScheme = "01";

    internal static TaxesResponse Of(TaxesRequest request, List<TaxTotal> rows)
    {
        // With no taxes at all, COP (the API's default currency) still shows the year's periods, as zeros.
        var currencies = rows.Select(r => r.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new(request.Year, request.Period,
            [.. (currencies.Count > 0 ? currencies : ["COP"]).Select(currency => Currency(request, currency, [.. rows.Where(r => r.Currency == currency)]))]);
    }

    private static CurrencyTaxes Currency(TaxesRequest request, string currency, List<TaxTotal> rows)
    {
        var periods = new List<TaxPeriod>(12 / request.MonthsPerPeriod);
        for (var number = 1; number <= 12 / request.MonthsPerPeriod; number++)
        {
            var from = new DateOnly(request.Year, 1 + (number - 1) * request.MonthsPerPeriod, 1);
            var inPeriod = rows.Where(r => r.PeriodNumber == number).ToList();
            var taxes = inPeriod.Where(r => r.Kind == "tax").ToList();
            periods.Add(new TaxPeriod(number, from, from.AddMonths(request.MonthsPerPeriod).AddDays(-1),
                [.. taxes.Where(r => r.Scheme == IvaScheme).OrderBy(r => r.Rate, RateOrder.Instance)
                    .Select(r => new RateFigures(NullIfEmpty(r.Rate), r.InvoiceCount, Money.Format(r.Base), Money.Format(r.Amount)))],
                [.. taxes.Where(r => r.Scheme != IvaScheme).OrderBy(r => r.Scheme, StringComparer.Ordinal).ThenBy(r => r.Rate, RateOrder.Instance).Select(Scheme)],
                [.. inPeriod.Where(r => r.Kind == "withholding").OrderBy(r => r.Scheme, StringComparer.Ordinal).ThenBy(r => r.Rate, RateOrder.Instance).Select(Scheme)],
                TaxTotals.Of(inPeriod)));
        }
        return new CurrencyTaxes(currency, periods, TaxTotals.Of(rows));
    }

    private static SchemeFigures Scheme(TaxTotal row) =>
        new(row.Scheme, row.Name, NullIfEmpty(row.Rate), row.InvoiceCount, Money.Format(row.Base), Money.Format(row.Amount));

    // The rollups key a per-unit tax's missing rate as ''; the API writes it as null, as the invoice does.
    private static string? NullIfEmpty(string rate) => rate.Length == 0 ? null : rate;

    /// <summary>Rates as numbers, smallest first ("5" before "19"); per-unit ('') and anything unreadable last.</summary>
    private sealed class RateOrder : IComparer<string>
    {
        internal static readonly RateOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (a, b) = (Number(x), Number(y));
            return a is not null && b is not null ? a.Value.CompareTo(b.Value)
                : a is not null ? -1
                : b is not null ? 1
                : string.CompareOrdinal(x, y);
        }

        private static decimal? Number(string? rate) =>
            decimal.TryParse(rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}

/// <summary>One currency's declaration periods, in order, and its totals for the year.</summary>
internal sealed record CurrencyTaxes(string Currency, List<TaxPeriod> Periods, TaxTotals Totals);

/// <summary>
/// One declaration period (<see cref="Number"/> 1 to 6 bimonthly, 1 to 3 four-monthly, <see cref="From"/> to <see cref="To"/>
/// inclusive): IVA by rate, the other taxes and the withholdings by scheme and rate, and their totals.
/// </summary>
internal sealed record TaxPeriod(int Number, DateOnly From, DateOnly To, List<RateFigures> Iva, List<SchemeFigures> OtherTaxes,
    List<SchemeFigures> Withholdings, TaxTotals Totals);

/// <summary>The IVA at one rate: the invoices carrying it, the taxed base and the tax.</summary>
internal sealed record RateFigures(string? Rate, long Count, string Base, string Amount);

/// <summary>A tax or withholding scheme at one rate (null for a per-unit tax), named as most recently written.</summary>
internal sealed record SchemeFigures(string Scheme, string? Name, string? Rate, long Count, string Base, string Amount);

/// <summary>
/// The amounts of a period or a year: IVA, the other taxes, all taxes, and the withholdings. Bases are not added up:
/// one invoice's base is taxed by several schemes.
/// </summary>
internal sealed record TaxTotals(string Iva, string OtherTaxes, string Taxes, string Withholdings)
{
    internal static TaxTotals Of(List<TaxTotal> rows)
    {
        var iva = rows.Where(r => r.Kind == "tax" && r.Scheme == TaxesResponse.IvaScheme).Sum(r => r.Amount);
        var taxes = rows.Where(r => r.Kind == "tax").Sum(r => r.Amount);
        return new TaxTotals(Money.Format(iva), Money.Format(taxes - iva), Money.Format(taxes),
            Money.Format(rows.Where(r => r.Kind == "withholding").Sum(r => r.Amount)));
    }
}
