using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>Every dashboard figure on a small hand-made set of invoices whose answers are worked out by hand.</summary>
public sealed class DashboardFiguresTests(PostgresServer server)
{
    private static readonly DateOnly M1 = StatsApp.CurrentMonth.AddMonths(-1);
    private static readonly DateOnly M2 = StatsApp.CurrentMonth.AddMonths(-2);
    private static readonly DateOnly M3 = StatsApp.CurrentMonth.AddMonths(-3);
    private static readonly DateOnly DefaultFrom = StatsApp.CurrentMonth.AddMonths(-11);

    [Fact]
    public async Task Default_period_totals_previous_period_and_change_per_currency()
    {
        await using var app = await SeedAsync();

        var dashboard = await StatsApp.GetJsonAsync(app.A, "/dashboard");

        Assert.Equal(StatsApp.Iso(DefaultFrom), dashboard.GetProperty("from").GetString());
        Assert.Equal(StatsApp.Iso(StatsApp.Today), dashboard.GetProperty("to").GetString());
        var length = StatsApp.Today.DayNumber - DefaultFrom.DayNumber + 1;
        Assert.Equal(StatsApp.Iso(DefaultFrom.AddDays(-length)), dashboard.GetProperty("previous_from").GetString());
        Assert.Equal(StatsApp.Iso(DefaultFrom.AddDays(-1)), dashboard.GetProperty("previous_to").GetString());
        Assert.Equal(["COP", "USD"], dashboard.GetProperty("currencies").EnumerateArray().Select(c => c.GetProperty("currency").GetString()));

        var cop = Currency(dashboard, "COP");
        Assert.Equal(3, cop.GetProperty("count").GetInt32());
        Assert.Equal("350.50", cop.GetProperty("total").GetString());
        Assert.Equal("116.83", cop.GetProperty("average").GetString());
        Assert.Equal(1, cop.GetProperty("previous").GetProperty("count").GetInt32());
        Assert.Equal("70.50", cop.GetProperty("previous").GetProperty("total").GetString());
        Assert.Equal(397.16m, cop.GetProperty("change_percent").GetDecimal());

        var usd = Currency(dashboard, "USD");
        Assert.Equal(1, usd.GetProperty("count").GetInt32());
        Assert.Equal("10.00", usd.GetProperty("total").GetString());
        Assert.Equal(0, usd.GetProperty("previous").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, usd.GetProperty("previous").GetProperty("average").ValueKind);
        Assert.Equal(JsonValueKind.Null, usd.GetProperty("change_percent").ValueKind);
    }

    [Fact]
    public async Task Breakdowns_by_status_category_payment_method_and_providers()
    {
        await using var app = await SeedAsync();

        var cop = Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard"), "COP");

        Assert.Equal(["pending 2 250.50", "paid 1 100.00"], Rows(cop, "by_status", "status"));
        // "Servicios" and "servicios" are one category (compared case-insensitively); the larger total comes first.
        Assert.Equal(["rent 1 200.00", "servicios 2 150.50"], Rows(cop, "by_category", "category", lower: true));
        Assert.Equal([" 1 200.00", "transfer 1 100.00", "cash 1 50.50"], Rows(cop, "by_payment_method", "payment_method"));
        var providers = cop.GetProperty("top_providers").EnumerateArray().ToList();
        Assert.Equal(["landlord 1 200.00", "acme 2 150.50"], Rows(cop, "top_providers", "provider", lower: true));
        Assert.Equal(JsonValueKind.Null, providers[0].GetProperty("nit").ValueKind);
        Assert.Equal(StatsApp.Iso(M3), providers[0].GetProperty("last_invoice_date").GetString());
        Assert.Equal("900123456-8", providers[1].GetProperty("nit").GetString());
        Assert.Equal(StatsApp.Iso(M1.AddDays(9)), providers[1].GetProperty("last_invoice_date").GetString());
    }

    [Fact]
    public async Task Pending_and_overdue()
    {
        await using var app = await SeedAsync();

        var cop = Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard"), "COP");

        Assert.Equal(2, cop.GetProperty("pending").GetProperty("count").GetInt32());
        Assert.Equal("250.50", cop.GetProperty("pending").GetProperty("total").GetString());
        // Only the pending invoice whose due date has passed; the one due next month is pending, not overdue.
        Assert.Equal(1, cop.GetProperty("overdue").GetProperty("count").GetInt32());
        Assert.Equal("50.50", cop.GetProperty("overdue").GetProperty("total").GetString());
    }

    [Fact]
    public async Task Void_and_archived_count_only_when_included()
    {
        await using var app = await SeedAsync();

        var withVoid = Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard?include=void&currency=COP"), "COP");
        var withBoth = Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard?include=void,archived&currency=cop"), "COP");

        Assert.Equal(4, withVoid.GetProperty("count").GetInt32());
        Assert.Equal("1350.49", withVoid.GetProperty("total").GetString());
        Assert.Equal(5, withBoth.GetProperty("count").GetInt32());
        Assert.Equal("1650.49", withBoth.GetProperty("total").GetString());
        Assert.Contains("void 1 999.99", Rows(withBoth, "by_status", "status"));
    }

    [Fact]
    public async Task A_period_with_partial_edge_months_reads_only_its_days()
    {
        await using var app = await SeedAsync();

        // From the 2nd of M3 (leaves out its invoice of the 1st) to the 7th of M1 (leaves out the 10th).
        var dashboard = await StatsApp.GetJsonAsync(app.A, $"/dashboard?from={StatsApp.Iso(M3.AddDays(1))}&to={StatsApp.Iso(M1.AddDays(6))}");
        var inside = await StatsApp.GetJsonAsync(app.A, $"/dashboard?from={StatsApp.Iso(M1.AddDays(5))}&to={StatsApp.Iso(M1.AddDays(8))}");

        Assert.Equal("1 100.00", CountAndTotal(Currency(dashboard, "COP")));
        Assert.Equal("1 10.00", CountAndTotal(Currency(dashboard, "USD")));
        // COP has nothing from the 6th to the 9th but is listed: its previous period (the 2nd to the 5th) has the 100.00.
        Assert.Equal("0 0.00", CountAndTotal(Currency(inside, "COP")));
        Assert.Equal("1 100.00", CountAndTotal(Currency(inside, "COP").GetProperty("previous")));
        Assert.Equal(-100m, Currency(inside, "COP").GetProperty("change_percent").GetDecimal());
        Assert.Equal("1 10.00", CountAndTotal(Currency(inside, "USD")));
    }

    [Fact]
    public async Task Trend_has_every_month_with_zeros_and_splits_by_status_and_category()
    {
        await using var app = await SeedAsync();

        var plain = await StatsApp.GetJsonAsync(app.A, "/trend?currency=COP");
        var byStatus = await StatsApp.GetJsonAsync(app.A, "/trend?by=status&months=3");
        var byCategory = await StatsApp.GetJsonAsync(app.A, "/trend?by=category&months=4&currency=COP");

        var series = Currency(plain, "COP").GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(12, series.Count);
        Assert.Equal(StatsApp.CurrentMonth.AddMonths(-11).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), series[0].GetProperty("month").GetString());
        Assert.Equal(["0 0.00", "0 0.00", "0 0.00", "0 0.00", "0 0.00", "0 0.00", "0 0.00", "0 0.00", "1 200.00", "0 0.00", "2 150.50", "0 0.00"],
            series.Select(CountAndTotal));
        var m1 = Currency(byStatus, "COP").GetProperty("series")[1];
        Assert.Equal(["pending 1 50.50", "paid 1 100.00"], Groups(m1));
        Assert.Equal(["pending 0 0.00", "paid 0 0.00"], Groups(Currency(byStatus, "COP").GetProperty("series")[0]));
        Assert.Equal(["1 10.00", "0 0.00"], Currency(byStatus, "USD").GetProperty("series").EnumerateArray().Skip(1).Select(CountAndTotal));
        var categories = Currency(byCategory, "COP").GetProperty("series").EnumerateArray().Select(Groups).ToList();
        Assert.Equal(["rent 1 200.00", "servicios 0 0.00"], categories[0]);
        Assert.Equal(["rent 0 0.00", "servicios 2 150.50"], categories[2]);
    }

    [Fact]
    public async Task Providers_are_ranked_by_amount_with_count_last_date_and_nit()
    {
        await using var app = await SeedAsync();

        var body = await StatsApp.GetJsonAsync(app.A, "/providers?limit=1");
        var all = await StatsApp.GetJsonAsync(app.A, "/providers?include=void");

        var cop = body.GetProperty("currencies")[0];
        Assert.Equal("COP", cop.GetProperty("currency").GetString());
        Assert.Equal(["landlord 1 200.00"], cop.GetProperty("providers").EnumerateArray().Select(p => Row(p, "provider", lower: true)));
        var copAll = all.GetProperty("currencies")[0].GetProperty("providers").EnumerateArray().ToList();
        Assert.Equal("landlord 2 1199.99", Row(copAll[0], "provider", lower: true));
        Assert.Equal(StatsApp.Iso(M2.AddDays(1)), copAll[0].GetProperty("last_invoice_date").GetString());
        Assert.Equal(JsonValueKind.Null, cop.GetProperty("providers")[0].GetProperty("nit").ValueKind);
        Assert.Equal("800111222-3", copAll[0].GetProperty("nit").GetString());
        var dashboardAll = Currency(await StatsApp.GetJsonAsync(app.A, "/dashboard?include=void"), "COP");
        Assert.Equal("800111222-3", dashboardAll.GetProperty("top_providers")[0].GetProperty("nit").GetString());
    }

    [Fact]
    public async Task A_caller_with_no_invoices_gets_zeros_not_another_callers_figures()
    {
        await using var app = await SeedAsync();
        await using var stranger = new StatsAppClient(app, "caller-c");

        var dashboard = await StatsApp.GetJsonAsync(stranger.Client, "/dashboard");
        var trend = await StatsApp.GetJsonAsync(stranger.Client, "/trend");
        var providers = await StatsApp.GetJsonAsync(stranger.Client, "/providers");
        var b = Currency(await StatsApp.GetJsonAsync(app.B, "/dashboard"), "COP");

        Assert.Equal(0, dashboard.GetProperty("currencies").GetArrayLength());
        Assert.Equal(0, providers.GetProperty("currencies").GetArrayLength());
        Assert.All(Currency(trend, "COP").GetProperty("series").EnumerateArray(), month => Assert.Equal("0 0.00", CountAndTotal(month)));
        Assert.Equal("1 5000.00", CountAndTotal(b));
        Assert.Equal(["b supplier 1 5000.00"], Rows(b, "top_providers", "provider", lower: true));
    }

    /// <summary>Caller A's hand-made invoices (answers above), one of caller B's, and one of A's in the previous period.</summary>
    private async Task<StatsApp> SeedAsync()
    {
        var app = await StatsApp.StartAsync(server);
        const string A = StatsApp.CallerA;
        await app.InsertAsync(A, M1.AddDays(4), 100.00m, "Acme", "Servicios", "paid", paymentMethod: "transfer", nit: "900123456-8");
        await app.InsertAsync(A, M1.AddDays(9), 50.50m, "ACME", "servicios", "pending", paymentMethod: "cash", nit: "900123456-8", dueDate: M1.AddDays(14));
        await app.InsertAsync(A, M3, 200.00m, "Landlord", "Rent", "pending", dueDate: StatsApp.Today.AddDays(30));
        // The NIT of a void invoice is not the landlord's NIT unless void invoices are asked for.
        await app.InsertAsync(A, M2.AddDays(1), 999.99m, "Landlord", "Rent", "void", nit: "800111222-3");
        await app.InsertAsync(A, M2.AddDays(2), 300.00m, "Acme", "Servicios", "paid", archived: true);
        await app.InsertAsync(A, M1.AddDays(6), 10.00m, "Cloud Inc", "Software", "paid", currency: "USD");
        await app.InsertAsync(A, DefaultFrom.AddDays(-20), 70.50m, "Acme", "Servicios", "paid");
        await app.InsertAsync(StatsApp.CallerB, M1.AddDays(4), 5000.00m, "B Supplier", "Servicios", "paid");
        return app;
    }

    internal static JsonElement Currency(JsonElement body, string currency) =>
        body.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == currency);

    internal static string CountAndTotal(JsonElement figures) => $"{figures.GetProperty("count").GetInt32()} {figures.GetProperty("total").GetString()}";

    private static List<string> Rows(JsonElement currency, string array, string key, bool lower = false) =>
        currency.GetProperty(array).EnumerateArray().Select(row => Row(row, key, lower)).ToList();

    private static string Row(JsonElement row, string key, bool lower = false)
    {
        var name = row.GetProperty(key).GetString() ?? "";
        return $"{(lower ? name.ToLowerInvariant() : name)} {CountAndTotal(row)}";
    }

    private static List<string> Groups(JsonElement month) =>
        month.GetProperty("groups").EnumerateArray().Select(g => $"{g.GetProperty("key").GetString()} {CountAndTotal(g)}").ToList();
}

/// <summary>A client of one more caller of a <see cref="StatsApp"/>.</summary>
internal sealed class StatsAppClient(StatsApp app, string subject) : IAsyncDisposable
{
    public HttpClient Client { get; } = app.ClientFor(subject);

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return ValueTask.CompletedTask;
    }
}
