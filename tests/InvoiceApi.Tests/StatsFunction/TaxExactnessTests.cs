using System.Globalization;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// After hundreds of random writes that move taxes every way (invoices, credit and debit notes, bulk imports, new tax
/// and withholding lists, voids and un-voids, archives and restores, date and currency changes, operator deletes),
/// spread over write slots, invoice_tax_rollups (migration 0012) equals a plain GROUP BY over the invoices' jsonb lines,
/// and every /taxes period and dashboard tax figure equals the same figure computed here from the raw rows.
/// </summary>
[Trait("Category", Category.Fuzz)]
public sealed class TaxExactnessTests(PostgresServer server)
{
    private static readonly string[] Callers = [StatsApp.CallerA, StatsApp.CallerB, "caller-c"];

    /// <summary>invoice_tax_rollups as a plain GROUP BY over live invoices' lines, written independently of 0012's functions.</summary>
    private const string TaxRollupsFromInvoices = """
        SELECT i.account_id, g.grain, CASE g.grain WHEN 'day' THEN i.date ELSE date_trunc('month', i.date)::date END AS period,
               i.currency, l.kind, l.line ->> 'scheme' AS scheme, coalesce(l.line ->> 'rate', '') AS rate,
               count(DISTINCT i.id) AS invoice_count, sum((l.line ->> 'base')::numeric) AS base, sum((l.line ->> 'amount')::numeric) AS total
        FROM invoices AS i
        CROSS JOIN LATERAL (SELECT 'tax', t FROM jsonb_array_elements(i.taxes) AS t
                            UNION ALL
                            SELECT 'withholding', w FROM jsonb_array_elements(i.withholdings) AS w) AS l (kind, line)
        CROSS JOIN (VALUES ('day'), ('month')) AS g (grain)
        WHERE i.status <> 'void' AND i.archived_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        """;

    [Fact]
    public async Task Random_tax_writes_keep_every_tax_figure_equal_to_a_plain_aggregate()
    {
        await using var app = await StatsApp.StartAsync(server);
        var random = new Random(20260601);
        var changes = new RandomTaxChanges(app.Admin, new RandomChanges(app.Admin, random), random);
        // Three calendar years, so /taxes has a year on each side of the middle one and dates move across years.
        var year = StatsApp.Today.Year - 1;
        var firstDate = new DateOnly(year - 1, 1, 1);
        var lastDate = new DateOnly(year + 1, 12, 31);
        for (var step = 0; step < 400; step++)
        {
            await changes.ApplyAsync(Callers[random.Next(Callers.Length)], firstDate, lastDate);
        }

        await using (var slots = app.Admin.CreateCommand("SELECT count(DISTINCT slot) FROM invoice_tax_rollups"))
        {
            Assert.True((long)(await slots.ExecuteScalarAsync(TestContext.Current.CancellationToken))! >= 3, "the changes landed in fewer than 3 write slots");
        }
        Assert.Empty(await RollupExactnessTests.DifferencesAsync(app.Admin, TaxRollupsFromInvoices, """
            SELECT account_id, grain, period, currency, kind, scheme, rate, sum(invoice_count)::bigint AS invoice_count, sum(base) AS base, sum(amount) AS total
            FROM invoice_tax_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7
            """));
        var lines = await RawLinesAsync(app.Admin, StatsApp.CallerA);
        // The figures must have something to subtract and to leave out.
        Assert.True(lines.Count(l => l.Live && l.Amount < 0) >= 5, "too few credit note lines for caller A");
        Assert.True(lines.Count(l => !l.Live) >= 5, "too few void or archived lines for caller A");
        Assert.True(lines.Where(l => l.Live).Select(l => l.Currency).Distinct().Count() >= 2, "caller A's taxes are in one currency only");

        foreach (var taxYear in new[] { year - 1, year, year + 1 })
        {
            foreach (var (period, months) in new[] { ("bimonthly", 2), ("four-monthly", 4) })
            {
                Assert.Equal(ExpectedTaxes(lines, taxYear, months), TaxFiguresTests.Lines(await StatsApp.GetJsonAsync(app.A, $"/taxes?year={taxYear}&period={period}")));
            }
        }
        var windows = new List<(DateOnly From, DateOnly To)> { (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)) };
        for (var i = 0; i < 6; i++)
        {
            var from = firstDate.AddDays(random.Next(900));
            windows.Add((from, from.AddDays(random.Next(0, 200))));
        }
        foreach (var (from, to) in windows)
        {
            foreach (var include in new[] { "", "&include=void,archived" })
            {
                var body = await StatsApp.GetJsonAsync(app.A, $"/dashboard?from={StatsApp.Iso(from)}&to={StatsApp.Iso(to)}{include}");
                Assert.Equal(ExpectedDashboardTaxes(lines, from, to, body), ActualDashboardTaxes(body));
            }
        }
    }

    private sealed record Line(Guid Invoice, DateOnly Date, string Currency, bool Live, string Kind, string Scheme, string? Rate, string? Name, decimal Base, decimal Amount);

    private static async Task<List<Line>> RawLinesAsync(NpgsqlDataSource admin, string accountId)
    {
        await using var command = admin.CreateCommand("""
            SELECT i.id, i.date, i.currency, i.status <> 'void' AND i.archived_at IS NULL, l.kind, l.line ->> 'scheme', l.line ->> 'rate', l.line ->> 'name',
                   (l.line ->> 'base')::numeric, (l.line ->> 'amount')::numeric
            FROM invoices AS i
            CROSS JOIN LATERAL (SELECT 'tax', t FROM jsonb_array_elements(i.taxes) AS t
                                UNION ALL
                                SELECT 'withholding', w FROM jsonb_array_elements(i.withholdings) AS w) AS l (kind, line)
            WHERE i.account_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        var lines = new List<Line>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(new Line(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetBoolean(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetDecimal(8), reader.GetDecimal(9)));
        }
        return lines;
    }

    /// <summary>The /taxes answer computed from the raw lines, in <see cref="TaxFiguresTests.Lines"/>' form.</summary>
    private static List<string> ExpectedTaxes(List<Line> lines, int year, int monthsPerPeriod)
    {
        var inYear = lines.Where(l => l.Live && l.Date.Year == year).ToList();
        var currencies = inYear.Select(l => l.Currency).Distinct().Order(StringComparer.Ordinal).ToList();
        var result = new List<string>();
        foreach (var currency in currencies.Count > 0 ? currencies : ["COP"])
        {
            var mine = inYear.Where(l => l.Currency == currency).ToList();
            for (var number = 1; number <= 12 / monthsPerPeriod; number++)
            {
                var from = new DateOnly(year, 1 + (number - 1) * monthsPerPeriod, 1);
                var to = from.AddMonths(monthsPerPeriod).AddDays(-1);
                var inPeriod = mine.Where(l => l.Date >= from && l.Date <= to).ToList();
                var iva = Keys(inPeriod.Where(l => l.Kind == "tax" && l.Scheme == "01")).Select(k => $"{k.Rate} {k.Sums}");
                var other = Keys(inPeriod.Where(l => l.Kind == "tax" && l.Scheme != "01")).Select(k => $"{k.Scheme} {k.Name} {k.Rate} {k.Sums}");
                var withheld = Keys(inPeriod.Where(l => l.Kind == "withholding")).Select(k => $"{k.Scheme} {k.Name} {k.Rate} {k.Sums}");
                result.Add($"{currency} {number} {StatsApp.Iso(from)}..{StatsApp.Iso(to)} iva [{string.Join("; ", iva)}] other [{string.Join("; ", other)}]"
                    + $" withholdings [{string.Join("; ", withheld)}] totals {Totals(inPeriod)}");
            }
            result.Add($"{currency} year totals {Totals(mine)}");
        }
        return result;
    }

    // Keys by scheme then rate as a number (per-unit last), each with the invoices carrying it and its sums.
    private static IEnumerable<(string Scheme, string? Name, string Rate, string Sums)> Keys(IEnumerable<Line> lines) =>
        lines.GroupBy(l => (l.Scheme, l.Rate))
            .OrderBy(g => g.Key.Scheme, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Rate is null ? decimal.MaxValue : decimal.Parse(g.Key.Rate, CultureInfo.InvariantCulture))
            .Select(g => (g.Key.Scheme, g.First().Name, g.Key.Rate ?? "-",
                $"{g.Select(l => l.Invoice).Distinct().Count()} {TaxFiguresTests.Money(g.Sum(l => l.Base))} {TaxFiguresTests.Money(g.Sum(l => l.Amount))}"));

    private static string Totals(List<Line> lines)
    {
        var iva = lines.Where(l => l.Kind == "tax" && l.Scheme == "01").Sum(l => l.Amount);
        var taxes = lines.Where(l => l.Kind == "tax").Sum(l => l.Amount);
        return $"{TaxFiguresTests.Money(iva)} {TaxFiguresTests.Money(taxes - iva)} {TaxFiguresTests.Money(taxes)} {TaxFiguresTests.Money(lines.Where(l => l.Kind == "withholding").Sum(l => l.Amount))}";
    }

    // Every currency the dashboard lists (its own rule) with the live lines' sums in the window; a currency with taxes must be listed.
    private static List<string> ExpectedDashboardTaxes(List<Line> lines, DateOnly from, DateOnly to, JsonElement body)
    {
        var inWindow = lines.Where(l => l.Live && l.Date >= from && l.Date <= to).ToList();
        var listed = body.GetProperty("currencies").EnumerateArray().Select(c => c.GetProperty("currency").GetString()!);
        return listed.Concat(inWindow.Where(l => l.Amount != 0).Select(l => l.Currency)).Distinct().Order(StringComparer.Ordinal)
            .Select(currency => $"{currency} {TaxFiguresTests.Money(inWindow.Where(l => l.Currency == currency && l.Kind == "tax").Sum(l => l.Amount))}"
                + $" {TaxFiguresTests.Money(inWindow.Where(l => l.Currency == currency && l.Kind == "withholding").Sum(l => l.Amount))}")
            .ToList();
    }

    private static List<string> ActualDashboardTaxes(JsonElement body) =>
        body.GetProperty("currencies").EnumerateArray()
            .Select(c => $"{c.GetProperty("currency").GetString()} {c.GetProperty("taxes").GetString()} {c.GetProperty("withholdings").GetString()}")
            .Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// Random writes that move tax figures, each run by <see cref="RandomChanges.RunAsRuntimeAsync"/> (as the Invoices
/// function writes, in write slot 0 to 3). Schemes keep one name each so the expected names are plain; rates are
/// canonical strings, a per-unit tax's null; a credit note's money is negative everywhere (0011's rule).
/// </summary>
internal sealed class RandomTaxChanges(NpgsqlDataSource admin, RandomChanges runner, Random random)
{
    // (scheme, name, rate): IVA 19 most often, as on real invoices.
    private static readonly (string Scheme, string Name, string? Rate)[] Taxes =
    [
        ("01", "IVA", "19"), ("01", "IVA", "19"), ("01", "IVA", "19"), ("01", "IVA", "5"), ("01", "IVA", "0"),
        ("04", "INC", "8"), ("03", "ICA", "0.966"), ("22", "INC Bolsas", null), ("ZZ", "Otro", "2.5"),
    ];

    private static readonly (string Scheme, string Name, string? Rate)[] Withholdings =
    [
        ("06", "ReteRenta", "2.5"), ("06", "ReteRenta", "4"), ("05", "ReteIVA", "15"), ("07", "ReteICA", "0.966"),
    ];

    private const string Sign = "SIGN";

    private static readonly string[] Currencies = ["COP", "COP", "USD"];
    private static readonly string[] Statuses = ["pending", "paid", "paid", "void"];

    internal async Task ApplyAsync(string accountId, DateOnly firstDate, DateOnly lastDate)
    {
        var days = lastDate.DayNumber - firstDate.DayNumber;
        string Date() => firstDate.AddDays(random.Next(days + 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Pick(string[] values) => values[random.Next(values.Length)];
        var one = $"(SELECT id FROM invoices WHERE account_id = '{accountId}' ORDER BY md5(id::text || '{random.Next()}') LIMIT 1)";
        // The sign of the invoice picked (negative for a credit note) carries over to the lines written to it.
        var sql = random.Next(13) switch
        {
            0 or 1 or 2 => Insert(accountId, Date(), Pick(Currencies), Pick(Statuses), Pick(["invoice", "invoice", "invoice", "credit_note", "debit_note"])),
            3 => $"UPDATE invoices SET taxes = replace('{Lines(Taxes, 1)}', '{Sign}', CASE WHEN amount < 0 THEN '-' ELSE '' END)::jsonb WHERE id = {one}",
            4 => $"UPDATE invoices SET withholdings = replace('{Lines(Withholdings, 0)}', '{Sign}', CASE WHEN amount < 0 THEN '-' ELSE '' END)::jsonb WHERE id = {one}",
            5 => $"UPDATE invoices SET status = s, paid_at = CASE WHEN s = 'paid' THEN date END FROM (SELECT '{Pick(Statuses)}' AS s) AS x WHERE id = {one}",
            6 => $"UPDATE invoices SET date = DATE '{Date()}' WHERE id = {one}",
            7 => $"UPDATE invoices SET currency = '{Pick(Currencies)}' WHERE id = {one}",
            8 => $"UPDATE invoices SET archived_at = now() WHERE id = {one}",
            9 => $"UPDATE invoices SET archived_at = NULL WHERE id IN (SELECT id FROM invoices WHERE account_id = '{accountId}' AND archived_at IS NOT NULL LIMIT 2)",
            10 => BulkInsert(accountId, firstDate, days, random.Next(5, 30)),
            11 => $"UPDATE invoices SET taxes = '[]', withholdings = '[]' WHERE id = {one}",
            _ => $"UPDATE invoices SET description = 'edited {random.Next()}', version = version + 1 WHERE id = {one}",
        };
        await runner.RunAsRuntimeAsync(accountId, sql);
        if (random.Next(25) == 0)
        {
            // An operator's delete: the runtime role has no DELETE; the superuser's goes through the same trigger.
            await using var delete = admin.CreateCommand($"DELETE FROM invoices WHERE id = {one}");
            await delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    private string Insert(string accountId, string date, string currency, string status, string kind)
    {
        var sign = kind == "credit_note" ? "-" : "";
        var taxes = Lines(Taxes, 0).Replace(Sign, sign, StringComparison.Ordinal);
        var withholdings = Lines(Withholdings, 0).Replace(Sign, sign, StringComparison.Ordinal);
        return $"""
            INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, currency, category, status, paid_at, kind, taxes, withholdings)
            VALUES (gen_random_uuid(), '{accountId}', 'member-1', 'member-1', DATE '{date}', 'Acme', {sign}{random.Next(100, 10_000_000)}.{random.Next(100):00}, '{currency}',
                    'General', '{status}', CASE WHEN '{status}' = 'paid' THEN DATE '{date}' END, '{kind}', '{taxes}', '{withholdings}')
            """;
    }

    // Many rows in one statement, as an import's INSERT ... SELECT does: IVA 19 on every one, ReteRenta on every third.
    private static string BulkInsert(string accountId, DateOnly firstDate, int days, int count) => $"""
        INSERT INTO invoices (id, account_id, created_by, updated_by, date, provider, amount, currency, category, status, paid_at, taxes, withholdings)
        SELECT gen_random_uuid(), '{accountId}', 'member-2', 'member-2', DATE '{firstDate:yyyy-MM-dd}' + ((g * 37) % {days + 1}), 'Globex', b * 1.19,
               (ARRAY['COP','USD'])[1 + g % 2], 'Bulk', s, CASE WHEN s = 'paid' THEN DATE '{firstDate:yyyy-MM-dd}' + ((g * 37) % {days + 1}) END,
               jsonb_build_array(jsonb_build_object('scheme', '01', 'name', 'IVA', 'rate', '19', 'base', b::text, 'amount', round(b * 0.19, 2)::text)),
               CASE WHEN g % 3 = 0 THEN jsonb_build_array(jsonb_build_object('scheme', '06', 'name', 'ReteRenta', 'rate', '2.5', 'base', b::text, 'amount', round(b * 0.025, 2)::text))
                    ELSE '[]' END
        FROM generate_series(1, {count}) AS g
        CROSS JOIN LATERAL (SELECT round((1000 + (g * 7919) % 900000) / 1.0, 2) AS b, (ARRAY['pending','paid','void'])[1 + g % 3] AS s) AS x
        """;

    /// <summary>
    /// A JSON list of <paramref name="least"/> to 3 random lines, two of one key now and then (one invoice, counted once);
    /// each base and amount starts with <see cref="Sign"/>, replaced by '-' for a credit note and '' otherwise.
    /// </summary>
    private string Lines((string Scheme, string Name, string? Rate)[] schemes, int least)
    {
        var lines = new List<string>();
        for (var i = random.Next(least, 4); i > 0; i--)
        {
            var (scheme, name, rate) = schemes[random.Next(schemes.Length)];
            var taxBase = random.Next(1_000, 5_000_000) / 100m;
            var amount = rate is null ? random.Next(1, 20) * 66m : Math.Round(taxBase * decimal.Parse(rate, CultureInfo.InvariantCulture) / 100, 2);
            var baseText = rate is null ? "0.00" : TaxFiguresTests.Money(taxBase);
            lines.Add($$"""{"scheme":"{{scheme}}","name":"{{name}}","rate":{{(rate is null ? "null" : $"\"{rate}\"")}},"base":"{{Sign}}{{baseText}}","amount":"{{Sign}}{{TaxFiguresTests.Money(amount)}}"}""");
        }
        return $"[{string.Join(",", lines)}]";
    }
}
