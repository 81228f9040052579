using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using System.Text;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.OpenApi;
using Invoices;

namespace InvoiceApi.Tests.Tools;

/// <summary>
/// One real emulator (its own PostgreSQL and both functions as processes) started with <c>--seed 300</c> in a state
/// folder and on ports of its own, shared by the tests of <see cref="EmulatorRunTests"/>.
/// </summary>
[Trait("Category", Category.Emulator)]
public sealed class SeededEmulator : IAsyncLifetime
{
    public const int Seeded = 300;
    public const int FirstCallerShare = 240;
    public const int SecondCallerShare = 60;

    public EmulatorHome Home { get; } = new();

    public EmulatorProcess Process { get; private set; } = null!;

    public EmulatorTable Table { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Process = EmulatorProcess.Start(Home.Arguments("--seed", Seeded.ToString(CultureInfo.InvariantCulture)));
        await Process.WaitForOutputAsync(line => line.StartsWith("  data ", StringComparison.Ordinal), EmulatorProcess.StartLimit);
        Table = EmulatorTable.From(Process.Output);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        Home.Dispose();
    }
}

/// <summary>What the README's first command promises once it is up: the table, the tokens, the demo data, the logs, the token verb.</summary>
public sealed class EmulatorRunTests(SeededEmulator emulator) : IClassFixture<SeededEmulator>
{
    private static readonly TimeSpan VerbLimit = TimeSpan.FromMinutes(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void The_table_gives_each_function_url_and_a_12_hour_token_per_demo_caller()
    {
        var table = emulator.Table;

        Assert.StartsWith(emulator.Home.InvoicesUrl.ToString().TrimEnd('/') + " ", table.Row("invoices"), StringComparison.Ordinal);
        Assert.StartsWith(emulator.Home.StatsUrl.ToString().TrimEnd('/') + " ", table.Row("stats"), StringComparison.Ordinal);
        foreach (var caller in new[] { "demo-user-1", "demo-user-2" })
        {
            var claims = Claims(table.Token(caller));
            Assert.Equal(caller, claims.GetProperty("sub").GetString());
            Assert.Equal(12 * 3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
            Assert.False(claims.TryGetProperty("role", out _));
        }
        Assert.Contains(emulator.Home.DataDirectory, table.Row("data"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_printed_token_reads_only_its_own_callers_seeded_invoices()
    {
        var first = await AllInvoicesAsync(emulator.Table.Token("demo-user-1"));
        var second = await AllInvoicesAsync(emulator.Table.Token("demo-user-2"));

        Assert.Equal(SeededEmulator.FirstCallerShare, first.Count);
        Assert.Equal(SeededEmulator.SecondCallerShare, second.Count);
        Assert.Empty(first.Select(Id).Intersect(second.Select(Id)));
    }

    [Fact]
    public async Task The_seed_is_realistic_and_the_stats_rollups_match_the_invoices()
    {
        var token = emulator.Table.Token("demo-user-1");
        var invoices = await AllInvoicesAsync(token);
        var today = CallerClock.Default(TimeProvider.System).Today;
        string Text(JsonElement invoice, string name) => invoice.GetProperty(name).GetString()!;
        DateOnly Day(JsonElement invoice, string name) => DateOnly.ParseExact(Text(invoice, name), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        bool IsNull(JsonElement invoice, string name) => invoice.GetProperty(name).ValueKind == JsonValueKind.Null;

        var nits = invoices.Where(invoice => !IsNull(invoice, "nit")).Select(invoice => Text(invoice, "nit")).ToList();
        Assert.True(nits.Count > invoices.Count / 2, $"only {nits.Count} NITs");
        Assert.All(nits, nit => Assert.True(Nit.TryNormalize(nit, out var normalized) && normalized == nit, $"{nit} is not a valid normalized NIT"));
        Assert.Superset(new HashSet<string> { "COP", "USD", "EUR" }, invoices.Select(invoice => Text(invoice, "currency")).ToHashSet());
        Assert.Superset(new HashSet<string> { "paid", "pending", "void" }, invoices.Select(invoice => Text(invoice, "status")).ToHashSet());
        Assert.Contains(invoices, invoice => Text(invoice, "status") == "pending" && !IsNull(invoice, "due_date") && Day(invoice, "due_date") < today);
        Assert.Contains(invoices, invoice => !IsNull(invoice, "archived_at"));
        Assert.True(invoices.Select(invoice => Text(invoice, "category")).Distinct().Count() >= 5);
        Assert.True(invoices.Where(invoice => !IsNull(invoice, "payment_method")).Select(invoice => Text(invoice, "payment_method")).Distinct().Count() >= 3);
        var dates = invoices.Select(invoice => Day(invoice, "date")).ToList();
        Assert.True(dates.Max() <= today);
        Assert.True(dates.Max().DayNumber - dates.Min().DayNumber >= 300, $"dates span {dates.Min()} to {dates.Max()}");

        // Stats leaves void and archived invoices out and counts the dates of its default window; the seed also fills
        // the period of equal length before it, so "change vs previous" has something to compare with.
        using var dashboard = await GetJsonAsync(emulator.Home.StatsUrl, "/dashboard", token);
        var from = DateOnly.ParseExact(dashboard.RootElement.GetProperty("from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var previousFrom = DateOnly.ParseExact(dashboard.RootElement.GetProperty("previous_from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var counted = invoices.Where(invoice => Text(invoice, "status") != "void" && IsNull(invoice, "archived_at") && Day(invoice, "date") >= from).ToList();
        Assert.True(dates.Min() >= previousFrom && dates.Min() < from, $"the earliest date {dates.Min()} is not in the previous window from {previousFrom}");
        Assert.Contains(dashboard.RootElement.GetProperty("currencies").EnumerateArray(),
            currency => currency.GetProperty("currency").GetString() == "COP" && currency.GetProperty("previous").GetProperty("count").GetInt32() > 0);
        foreach (var currency in dashboard.RootElement.GetProperty("currencies").EnumerateArray())
        {
            var code = currency.GetProperty("currency").GetString();
            var expected = counted.Where(invoice => Text(invoice, "currency") == code).ToList();
            Assert.Equal(expected.Count, currency.GetProperty("count").GetInt32());
            Assert.Equal(expected.Sum(invoice => decimal.Parse(Text(invoice, "amount"), CultureInfo.InvariantCulture)),
                decimal.Parse(currency.GetProperty("total").GetString()!, CultureInfo.InvariantCulture));
        }
        Assert.Equal(3, dashboard.RootElement.GetProperty("currencies").GetArrayLength());
    }

    [Fact]
    public void Each_functions_log_lines_are_prefixed_with_its_name_and_readable()
    {
        var output = emulator.Process.Output;

        Assert.Contains(output, line => line.StartsWith("[invoices] INFO  Serving function Invoices.Function", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("[stats]    INFO  Serving function Stats.Function", StringComparison.Ordinal));
        // Cloud Logging's JSON is rendered, not shown raw.
        Assert.DoesNotContain(output, line => line.Contains("\"severity\"", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith($"seed: {SeededEmulator.Seeded} demo invoices imported", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_verb_signs_for_the_caller_it_is_given_with_the_running_emulators_key()
    {
        var token = await TokenVerbAsync("--user", "demo-user-2");
        var stranger = await TokenVerbAsync("--user", "someone-else");

        Assert.Equal(SeededEmulator.SecondCallerShare, (await AllInvoicesAsync(token)).Count);
        Assert.Empty(await AllInvoicesAsync(stranger));
        Assert.Equal("demo-user-1", Claims(await TokenVerbAsync()).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task The_token_verb_admin_token_may_read_every_caller_and_a_plain_one_may_not()
    {
        var admin = await TokenVerbAsync("--user", "ops", "--admin");
        var plain = await TokenVerbAsync("--user", "ops");

        using var all = await GetJsonAsync(emulator.Home.InvoicesUrl, "/?all_callers=true&include=archived&limit=100", admin);
        using var refused = await SendAsync(emulator.Home.InvoicesUrl, "/?all_callers=true", plain);

        Assert.Equal("admin", Claims(admin).GetProperty("role").GetString());
        Assert.Equal(100, all.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.String, all.RootElement.GetProperty("next_cursor").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task The_token_verb_hours_sets_the_lifetime_and_refuses_a_bad_value()
    {
        var claims = Claims(await TokenVerbAsync("--hours", "3"));
        var bad = await EmulatorProcess.RunAsync(["token", "--hours", "0"], null, VerbLimit);

        Assert.Equal(3 * 3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--hours needs a whole number from 1 to 720", Assert.Single(bad.Errors), StringComparison.Ordinal);
    }

    private async Task<string> TokenVerbAsync(params string[] arguments)
    {
        var result = await EmulatorProcess.RunAsync(["token", "--data-dir", emulator.Home.StateFolder, .. arguments], null, VerbLimit);
        Assert.True(result.ExitCode == 0, string.Join('\n', result.Errors));
        return Assert.Single(result.Output);
    }

    private async Task<List<JsonElement>> AllInvoicesAsync(string token)
    {
        var invoices = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = "/?include=archived&limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var page = await GetJsonAsync(emulator.Home.InvoicesUrl, path, token);
            invoices.AddRange(page.RootElement.GetProperty("data").EnumerateArray().Select(invoice => invoice.Clone()));
            cursor = page.RootElement.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return invoices;
    }

    private static string Id(JsonElement invoice) => invoice.GetProperty("id").GetString()!;

    private async Task<JsonDocument> GetJsonAsync(Uri function, string path, string token)
    {
        using var response = await SendAsync(function, path, token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri function, string path, string token)
    {
        // Every answer is checked against the OpenAPI document of the function that gave it.
        using var client = ConformanceHandler.Client(emulator.Home.InvoicesUrl, emulator.Home.StatsUrl);
        client.BaseAddress = function;
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        return await client.SendAsync(request, Token);
    }

    private static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }
}
