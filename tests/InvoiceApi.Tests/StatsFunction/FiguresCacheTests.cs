using System.Net;
using InvoiceApi.Functions.Api;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;
using Stats.Caching;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// Figures served again only while the caller's invoices are unchanged (migration 0006's change numbers): a repeated
/// request is a hit with the same answer; any write, update, delete or truncate of the caller's invoices makes the
/// next one a fresh read that shows it; another caller's writes do not touch this caller's kept figures.
/// </summary>
public sealed class FiguresCacheTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/trend?by=category")]
    [InlineData("/providers")]
    public async Task A_repeated_request_is_served_from_the_cache_with_the_same_answer(string path)
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 100.00m, "Acme", "Rent", "paid");

        var (first, firstCache) = await GetAsync(app.A, path);
        var (second, secondCache) = await GetAsync(app.A, path);

        Assert.Equal("miss", firstCache);
        Assert.Equal("hit", secondCache);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Every_kind_of_write_to_the_callers_invoices_is_seen_by_the_next_request()
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        var id = await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 100.00m, "Acme", "Rent", "paid");
        Assert.Equal("1 100.00", await CopCountAndTotalAsync(app));
        Assert.Equal("1 100.00", await CopCountAndTotalAsync(app, expectedCache: "hit"));

        await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 50.00m, "Beta", "Food", "pending");
        Assert.Equal("2 150.00", await CopCountAndTotalAsync(app, expectedCache: "miss"));

        await ExecuteAsync(app, "UPDATE invoices SET amount = 70.00 WHERE id = $1", id);
        Assert.Equal("2 120.00", await CopCountAndTotalAsync(app, expectedCache: "miss"));

        await ExecuteAsync(app, "DELETE FROM invoices WHERE id = $1", id);
        Assert.Equal("1 50.00", await CopCountAndTotalAsync(app, expectedCache: "miss"));
        Assert.Equal("1 50.00", await CopCountAndTotalAsync(app, expectedCache: "hit"));

        // CASCADE: the documents (0011) refer to their invoices and go with them, as an operator's TRUNCATE must say.
        await ExecuteAsync(app, "TRUNCATE invoices CASCADE", id: null);
        var (dashboard, cache) = await GetAsync(app.A, "/dashboard");
        Assert.Equal("miss", cache);
        Assert.Equal("""{"currencies":[]}""", OnlyCurrencies(dashboard));
    }

    [Fact]
    public async Task Another_callers_writes_leave_this_callers_figures_kept_and_apart()
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 100.00m);
        Assert.Equal("1 100.00", await CopCountAndTotalAsync(app));

        await app.InsertAsync(StatsApp.CallerB, StatsApp.Today, 9.00m);

        Assert.Equal("1 100.00", await CopCountAndTotalAsync(app, expectedCache: "hit"));
        var (b, cache) = await GetAsync(app.B, "/dashboard");
        Assert.Equal("miss", cache);
        Assert.Equal("1 9.00", DashboardFiguresTests.CountAndTotal(DashboardFiguresTests.Currency(Json(b), "COP")));
    }

    [Fact]
    public async Task With_no_entries_every_request_is_computed()
    {
        await using var app = await StatsApp.StartAsync(server, new() { [FiguresCache.CapacitySetting] = "0" }, asRuntimeRole: true);
        await app.InsertAsync(StatsApp.CallerA, StatsApp.Today, 100.00m);

        Assert.Equal("1 100.00", await CopCountAndTotalAsync(app, expectedCache: "miss"));
        Assert.Equal("1 100.00", await CopCountAndTotalAsync(app, expectedCache: "miss"));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1")]
    [InlineData("100001")]
    public void A_bad_capacity_is_refused_at_startup_with_its_name(string value)
    {
        var error = Assert.Throws<FunctionConfigurationException>(() => FiguresCache.FromSettings(name => name == FiguresCache.CapacitySetting ? value : null));

        Assert.Contains(FiguresCache.CapacitySetting, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_capacity_keeps_the_default()
    {
        Assert.Equal(FiguresCache.DefaultCapacity, FiguresCache.FromSettings(_ => null).Capacity);
    }

    private static async Task<string> CopCountAndTotalAsync(StatsApp app, string? expectedCache = null)
    {
        var (body, cache) = await GetAsync(app.A, "/dashboard");
        if (expectedCache is not null)
        {
            Assert.Equal(expectedCache, cache);
        }
        return DashboardFiguresTests.CountAndTotal(DashboardFiguresTests.Currency(Json(body), "COP"));
    }

    /// <summary>The body and what the function said of its cache (Server-Timing: cache;desc=hit|miss).</summary>
    private static async Task<(string Body, string Cache)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        var cache = timing.Split(',', StringSplitOptions.TrimEntries).Single(metric => metric.StartsWith("cache;desc=", StringComparison.Ordinal));
        return (body, cache["cache;desc=".Length..]);
    }

    private static System.Text.Json.JsonElement Json(string body) => System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();

    private static string OnlyCurrencies(string body) =>
        $$"""{"currencies":{{Json(body).GetProperty("currencies").GetRawText()}}}""";

    private static async Task ExecuteAsync(StatsApp app, string sql, Guid? id)
    {
        await using var command = app.Admin.CreateCommand(sql);
        if (id is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        }
        await command.ExecuteNonQueryAsync(Token);
    }
}
