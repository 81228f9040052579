using System.Text.Json;
using InvoiceApi.Data;
using InvoiceApi.Data.Scoping;
using InvoiceApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// <c>GET /taxes</c> and the dashboard's <c>taxes</c> and <c>withholdings</c> (migration 0012) on a small book worked out
/// by hand: IVA at two rates, INC, a per-unit tax, three withholdings, a credit note, a void and an archived invoice,
/// two currencies, a second account, and the edges of periods and windows.
/// </summary>
public sealed class TaxFiguresTests(PostgresServer server)
{
    private const string A = StatsApp.CallerA;
    private const string B = StatsApp.CallerB;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Taxes_per_bimonthly_and_four_monthly_period_add_credit_notes_and_leave_out_void_archived_and_other_accounts()
    {
        await using var app = await StatsApp.StartAsync(server);
        await SeedAsync(app);

        var bimonthly = await StatsApp.GetJsonAsync(app.A, "/taxes?year=2025");
        var fourMonthly = await StatsApp.GetJsonAsync(app.A, "/taxes?year=2025&period=four-monthly");
        var otherAccount = await StatsApp.GetJsonAsync(app.B, "/taxes?year=2025&period=bimonthly");

        Assert.Equal((2025, "bimonthly"), (bimonthly.GetProperty("year").GetInt32(), bimonthly.GetProperty("period").GetString()));
        Assert.Equal(
            [
                "COP 1 2025-01-01..2025-02-28 iva [5 1 50000.00 2500.00; 19 2 300000.00 57000.00] other [04 INC 8 1 10000.00 800.00; 22 INC Bolsas - 1 0.00 66.00] "
                    + "withholdings [05 ReteIVA 15 1 38000.00 5700.00; 06 ReteRenta 2.5 1 100000.00 2500.00] totals 59500.00 866.00 60366.00 8200.00",
                "COP 2 2025-03-01..2025-04-30 iva [19 1 -50000.00 -9500.00] other [] withholdings [06 ReteRenta 2.5 1 -50000.00 -1250.00] totals -9500.00 0.00 -9500.00 -1250.00",
                "COP 3 2025-05-01..2025-06-30 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP 4 2025-07-01..2025-08-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP 5 2025-09-01..2025-10-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP 6 2025-11-01..2025-12-31 iva [19 1 10000.00 1900.00] other [] withholdings [] totals 1900.00 0.00 1900.00 0.00",
                "COP year totals 51900.00 866.00 52766.00 6950.00",
                "USD 1 2025-01-01..2025-02-28 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD 2 2025-03-01..2025-04-30 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD 3 2025-05-01..2025-06-30 iva [19 1 1000.00 190.00] other [] withholdings [] totals 190.00 0.00 190.00 0.00",
                "USD 4 2025-07-01..2025-08-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD 5 2025-09-01..2025-10-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD 6 2025-11-01..2025-12-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD year totals 190.00 0.00 190.00 0.00",
            ],
            Lines(bimonthly));
        Assert.Equal(
            [
                "COP 1 2025-01-01..2025-04-30 iva [5 1 50000.00 2500.00; 19 3 250000.00 47500.00] other [04 INC 8 1 10000.00 800.00; 22 INC Bolsas - 1 0.00 66.00] "
                    + "withholdings [05 ReteIVA 15 1 38000.00 5700.00; 06 ReteRenta 2.5 2 50000.00 1250.00] totals 50000.00 866.00 50866.00 6950.00",
                "COP 2 2025-05-01..2025-08-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP 3 2025-09-01..2025-12-31 iva [19 1 10000.00 1900.00] other [] withholdings [] totals 1900.00 0.00 1900.00 0.00",
                "COP year totals 51900.00 866.00 52766.00 6950.00",
                "USD 1 2025-01-01..2025-04-30 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD 2 2025-05-01..2025-08-31 iva [19 1 1000.00 190.00] other [] withholdings [] totals 190.00 0.00 190.00 0.00",
                "USD 3 2025-09-01..2025-12-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "USD year totals 190.00 0.00 190.00 0.00",
            ],
            Lines(fourMonthly));
        Assert.Equal("COP 1 2025-01-01..2025-02-28 iva [19 1 5000.00 950.00] other [] withholdings [] totals 950.00 0.00 950.00 0.00", Lines(otherAccount)[0]);
    }

    [Fact]
    public async Task A_year_without_taxes_lists_every_period_of_COP_as_zeros_and_the_default_is_this_year_in_Bogota_bimonthly()
    {
        await using var app = await StatsApp.StartAsync(server);
        await SeedAsync(app);

        var empty = await StatsApp.GetJsonAsync(app.A, "/taxes?year=2023&period=four-monthly");
        var current = await StatsApp.GetJsonAsync(app.A, "/taxes");

        Assert.Equal(
            [
                "COP 1 2023-01-01..2023-04-30 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP 2 2023-05-01..2023-08-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP 3 2023-09-01..2023-12-31 iva [] other [] withholdings [] totals 0.00 0.00 0.00 0.00",
                "COP year totals 0.00 0.00 0.00 0.00",
            ],
            Lines(empty));
        Assert.Equal((StatsApp.Today.Year, "bimonthly"), (current.GetProperty("year").GetInt32(), current.GetProperty("period").GetString()));
        Assert.Equal(6, current.GetProperty("currencies")[0].GetProperty("periods").GetArrayLength());
    }

    [Fact]
    public async Task The_dashboard_adds_the_windows_taxes_and_withholdings_of_live_invoices_edge_days_included()
    {
        await using var app = await StatsApp.StartAsync(server);
        await SeedAsync(app);

        string Figures(JsonElement body, string currency)
        {
            var figures = DashboardFiguresTests.Currency(body, currency);
            return $"{figures.GetProperty("taxes").GetString()} {figures.GetProperty("withholdings").GetString()}";
        }

        var quarter = await StatsApp.GetJsonAsync(app.A, "/dashboard?from=2025-01-01&to=2025-03-31");
        var everything = await StatsApp.GetJsonAsync(app.A, "/dashboard?from=2025-01-01&to=2025-03-31&include=void,archived");
        var edges = await StatsApp.GetJsonAsync(app.A, "/dashboard?from=2025-01-11&to=2025-03-04");
        var june = await StatsApp.GetJsonAsync(app.A, "/dashboard?from=2025-06-01&to=2025-06-30");
        var juneInCop = await StatsApp.GetJsonAsync(app.A, "/dashboard?from=2025-06-01&to=2025-06-30&currency=COP");

        Assert.Equal("50866.00 6950.00", Figures(quarter, "COP"));
        // include counts void and archived invoices in every other figure; they owe no tax, so taxes stay the same.
        Assert.Equal("50866.00 6950.00", Figures(everything, "COP"));
        Assert.Equal("41366.00 5700.00", Figures(edges, "COP"));
        Assert.Equal("190.00 0.00", Figures(june, "USD"));
        Assert.Equal("0.00 0.00", Figures(juneInCop, "COP"));
    }

    [Fact]
    public async Task A_write_shows_in_the_next_answer()
    {
        await using var app = await StatsApp.StartAsync(server);
        await SeedAsync(app);
        var before = await StatsApp.GetJsonAsync(app.A, "/taxes?year=2025");

        await app.InsertAsync(A, new DateOnly(2025, 12, 1), 1190m, taxes: Iva("19", 1000m, 190m));
        var after = await StatsApp.GetJsonAsync(app.A, "/taxes?year=2025");

        Assert.Equal("1900.00", before.GetProperty("currencies")[0].GetProperty("periods")[5].GetProperty("totals").GetProperty("iva").GetString());
        Assert.Equal("2090.00", after.GetProperty("currencies")[0].GetProperty("periods")[5].GetProperty("totals").GetProperty("iva").GetString());
    }

    [Fact]
    public async Task Row_level_security_hides_other_accounts_tax_rollups_and_the_runtime_role_cannot_write_them()
    {
        await using var app = await StatsApp.StartAsync(server, asRuntimeRole: true);
        await app.InsertAsync(A, StatsApp.Today, 119m, taxes: Iva("19", 100m, 19m));
        var query = app.Function.App.Services.GetRequiredService<ReadOnlyQuery>();

        // No account_id in the SQL: only the policy stands between caller B and A's rows.
        async Task<long> CountAsync(string caller) => await query.RunAsync(DataScope.Of(caller), async (connection, token) =>
        {
            await using var command = ScopedReads.Command(connection, DataScope.Of(caller), "SELECT count(*) FROM invoice_tax_rollups");
            return (long)(await command.ExecuteScalarAsync(token))!;
        }, Token);
        var denied = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = await app.Function.App.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Token);
            await using var transaction = await connection.BeginTransactionAsync(Token);
            await using var command = new NpgsqlCommand("""
                SELECT set_config('app.account_id', 'caller-a', true);
                UPDATE invoice_tax_rollups SET amount = amount + 1000 WHERE account_id = 'caller-a'
                """, connection, transaction);
            await command.ExecuteNonQueryAsync(Token);
        });

        Assert.Equal(2, await CountAsync(A));
        Assert.Equal(0, await CountAsync(B));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task A_second_open_writer_of_the_same_account_and_tax_does_not_wait_for_the_first()
    {
        await using var app = await StatsApp.StartAsync(server);
        await using var first = await OpenWriterAsync(app.Admin);
        await InsertAsync(first, 100m);
        // Without write slots the second INSERT waits on the tax rows the first holds until it commits: here, until lock_timeout.
        await using var second = await OpenWriterAsync(app.Admin);
        await using (var patience = new NpgsqlCommand("SET LOCAL lock_timeout = '2s'", second.Connection, second.Transaction))
        {
            await patience.ExecuteNonQueryAsync(Token);
        }

        await InsertAsync(second, 250m);
        await second.Transaction.CommitAsync(Token);
        await first.Transaction.CommitAsync(Token);

        await using var slots = app.Admin.CreateCommand("SELECT count(DISTINCT slot) FROM invoice_tax_rollups WHERE account_id = 'caller-a' AND grain = 'day'");
        Assert.Equal(2L, await slots.ExecuteScalarAsync(Token));
        var dashboard = await StatsApp.GetJsonAsync(app.A, $"/dashboard?from={StatsApp.Iso(StatsApp.Today)}&to={StatsApp.Iso(StatsApp.Today)}");
        Assert.Equal("66.50", DashboardFiguresTests.Currency(dashboard, "COP").GetProperty("taxes").GetString());
    }

    /// <summary>The hand-worked book the figures above are computed from.</summary>
    private static async Task SeedAsync(StatsApp app)
    {
        await app.InsertAsync(A, new DateOnly(2025, 1, 10), 119000m, taxes: Iva("19", 100000m, 19000m), withholdings: Line("06", "ReteRenta", "2.5", 100000m, 2500m));
        await app.InsertAsync(A, new DateOnly(2025, 2, 20), 301366m,
            taxes: $"[{Json("01", "IVA", "19", 200000m, 38000m)}, {Json("01", "IVA", "5", 50000m, 2500m)}, {Json("04", "INC", "8", 10000m, 800m)}, {Json("22", "INC Bolsas", null, 0m, 66m)}]",
            withholdings: Line("05", "ReteIVA", "15", 38000m, 5700m));
        // A credit note: every amount negative, so it subtracts without anyone knowing it is one.
        await app.InsertAsync(A, new DateOnly(2025, 3, 5), -59500m, kind: "credit_note", taxes: Iva("19", -50000m, -9500m),
            withholdings: Line("06", "ReteRenta", "2.5", -50000m, -1250m));
        await app.InsertAsync(A, new DateOnly(2025, 4, 30), 1190000m, status: "void", taxes: Iva("19", 1000000m, 190000m));
        await app.InsertAsync(A, new DateOnly(2025, 5, 2), 1190000m, archived: true, taxes: Iva("19", 1000000m, 190000m));
        await app.InsertAsync(A, new DateOnly(2025, 6, 15), 1190m, currency: "USD", taxes: Iva("19", 1000m, 190m));
        await app.InsertAsync(A, new DateOnly(2025, 12, 31), 11900m, taxes: Iva("19", 10000m, 1900m));
        await app.InsertAsync(A, new DateOnly(2024, 12, 31), 9254.63m, taxes: Iva("19", 7777m, 1477.63m));
        await app.InsertAsync(A, new DateOnly(2025, 1, 3), 500m, category: "No taxes");
        await app.InsertAsync(B, new DateOnly(2025, 1, 15), 5950m, taxes: Iva("19", 5000m, 950m));
    }

    internal static string Iva(string rate, decimal taxBase, decimal amount) => Line("01", "IVA", rate, taxBase, amount);

    internal static string Line(string scheme, string name, string? rate, decimal taxBase, decimal amount) => $"[{Json(scheme, name, rate, taxBase, amount)}]";

    /// <summary>One line as migration 0011 stores it: every value a string, the rate canonical or null.</summary>
    internal static string Json(string scheme, string name, string? rate, decimal taxBase, decimal amount) =>
        $$"""{"scheme":"{{scheme}}","name":"{{name}}","rate":{{(rate is null ? "null" : $"\"{rate}\"")}},"base":"{{Money(taxBase)}}","amount":"{{Money(amount)}}"}""";

    internal static string Money(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A /taxes answer as one line per currency and period (each list's entries as "rate count base amount" or
    /// "scheme name rate count base amount", a per-unit rate as "-") and one for the currency's year totals.
    /// </summary>
    internal static List<string> Lines(JsonElement body)
    {
        static string Totals(JsonElement totals) =>
            $"{totals.GetProperty("iva").GetString()} {totals.GetProperty("other_taxes").GetString()} {totals.GetProperty("taxes").GetString()} {totals.GetProperty("withholdings").GetString()}";
        static string Rate(JsonElement line) => line.GetProperty("rate").GetString() ?? "-";
        static string Sums(JsonElement line) => $"{line.GetProperty("count").GetInt64()} {line.GetProperty("base").GetString()} {line.GetProperty("amount").GetString()}";
        static string Schemes(JsonElement lines) => string.Join("; ", lines.EnumerateArray().Select(l =>
            $"{l.GetProperty("scheme").GetString()} {l.GetProperty("name").GetString()} {Rate(l)} {Sums(l)}"));
        var lines = new List<string>();
        foreach (var currency in body.GetProperty("currencies").EnumerateArray())
        {
            var code = currency.GetProperty("currency").GetString();
            foreach (var period in currency.GetProperty("periods").EnumerateArray())
            {
                lines.Add($"{code} {period.GetProperty("number").GetInt32()} {period.GetProperty("from").GetString()}..{period.GetProperty("to").GetString()}"
                    + $" iva [{string.Join("; ", period.GetProperty("iva").EnumerateArray().Select(l => $"{Rate(l)} {Sums(l)}"))}]"
                    + $" other [{Schemes(period.GetProperty("other_taxes"))}] withholdings [{Schemes(period.GetProperty("withholdings"))}] totals {Totals(period.GetProperty("totals"))}");
            }
            lines.Add($"{code} year totals {Totals(currency.GetProperty("totals"))}");
        }
        return lines;
    }

    private static async Task<Writer> OpenWriterAsync(NpgsqlDataSource admin)
    {
        var connection = await admin.OpenConnectionAsync(Token);
        var transaction = await connection.BeginTransactionAsync(Token);
        await using var scope = new NpgsqlCommand(
            "SET LOCAL ROLE invoice_api_runtime; SELECT set_config('app.account_id', 'caller-a', true), set_config('app.account_role', 'editor', true), set_config('app.operation', 'create', true)",
            connection, transaction);
        await scope.ExecuteNonQueryAsync(Token);
        return new Writer(connection, transaction);
    }

    // IVA 19 % on the amount before taxes, dated today: both writers touch the same tax keys.
    private static async Task InsertAsync(Writer writer, decimal subtotal)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, currency, category, status, taxes)
            VALUES (gen_random_uuid(), 'caller-a', 'member-1', 'member-1', $2, 'Acme', $1 * 1.19, 'COP', 'Office', 'pending', $3::jsonb)
            """, writer.Connection, writer.Transaction);
        insert.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = subtotal });
        insert.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = StatsApp.Today });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Iva("19", subtotal, subtotal * 0.19m) });
        await insert.ExecuteNonQueryAsync(Token);
    }

    private sealed record Writer(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
