using System.Globalization;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.StatsFunction;

/// <summary>
/// After hundreds of random writes of every kind, spread over write slots, every rollup sum equals a plain GROUP BY over the raw invoices, and
/// every dashboard, trend and provider figure equals the same figure computed here from the raw rows.
/// </summary>
[Trait("Category", Category.Fuzz)]
public sealed class RollupExactnessTests(PostgresServer server)
{
    private static readonly string[] Callers = [StatsApp.CallerA, StatsApp.CallerB, "caller-c"];

    [Fact]
    public async Task Random_writes_keep_every_figure_equal_to_a_plain_aggregate()
    {
        await using var app = await StatsApp.StartAsync(server);
        var random = new Random(20260524);
        var changes = new RandomChanges(app.Admin, random);
        var firstDate = StatsApp.CurrentMonth.AddMonths(-26);
        for (var step = 0; step < 400; step++)
        {
            await changes.ApplyAsync(Callers[random.Next(Callers.Length)], firstDate, StatsApp.Today.AddDays(1));
        }
        foreach (var caller in Callers)
        {
            await changes.ArchiveSomeAsync(caller, 15);
        }
        // Pending invoices due around today, so that overdue is read through every (date, due date) grain pair.
        var today = StatsApp.Today;
        foreach (var (date, due, archived) in new[]
        {
            (today.AddDays(-1), today.AddDays(-1), false), (today.AddDays(-2), today.AddDays(-1), false), (StatsApp.CurrentMonth, Max(StatsApp.CurrentMonth, today.AddDays(-1)), false),
            (today.AddDays(-40), today.AddDays(-2), false), (today.AddDays(-3), today, false), (today.AddDays(-70), today.AddDays(-35), false),
            (today.AddDays(-5), today.AddDays(-1), true),
        })
        {
            await app.InsertAsync(StatsApp.CallerA, date, 12.34m, dueDate: due, archived: archived);
        }

        // Rows of several write slots (migration 0010) are summed by every figure below; make sure there are some.
        await using (var slots = app.Admin.CreateCommand("SELECT count(DISTINCT slot) FROM invoice_live_rollups"))
        {
            Assert.True((long)(await slots.ExecuteScalarAsync(TestContext.Current.CancellationToken))! >= 3, "the changes landed in fewer than 3 write slots");
        }
        Assert.Empty(await RollupDifferencesAsync(app.Admin));
        Assert.Empty(await DifferencesAsync(app.Admin, LiveRollupsFromInvoices, "SELECT account_id, dimension, grain, period, currency, value, sum(invoice_count)::bigint AS invoice_count, sum(total) AS total FROM invoice_live_rollups GROUP BY 1, 2, 3, 4, 5, 6"));
        Assert.Empty(await DifferencesAsync(app.Admin, OverdueRollupsFromInvoices,
            "SELECT account_id, date_grain, due_grain, date_period, due_period, currency, archived, sum(invoice_count)::bigint AS invoice_count, sum(total) AS total FROM invoice_overdue_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7"));
        var invoices = await RawInvoicesAsync(app.Admin, StatsApp.CallerA);
        Assert.True(invoices.Count > 100, $"only {invoices.Count} invoices for caller A");
        // The figures must have something to leave out: archived invoices, void ones, and overdue ones among the pending.
        Assert.True(invoices.Count(i => i.Archived && i.Status != "void") >= 3, "too few archived invoices for caller A");
        Assert.True(invoices.Count(i => i.Status == "void") >= 5, "too few void invoices for caller A");
        Assert.True(invoices.Count(i => i.Status == "pending" && i.DueDate < StatsApp.Today && !i.Archived) >= 5, "too few overdue invoices for caller A");
        // The default period, and edges in this month (overdue reads this month's due days) and before today.
        var windows = new List<(DateOnly From, DateOnly To)>
        {
            (StatsApp.CurrentMonth.AddMonths(-11), StatsApp.Today),
            (StatsApp.Today.AddDays(-45), StatsApp.Today),
            (StatsApp.CurrentMonth.AddMonths(-3).AddDays(9), StatsApp.Today.AddDays(-3)),
            (StatsApp.CurrentMonth, StatsApp.Today.AddDays(1)),
            (StatsApp.Today.AddDays(-2), StatsApp.Today),
            (StatsApp.Today.AddDays(-6), StatsApp.Today.AddDays(-1)),
            (Min(StatsApp.CurrentMonth.AddDays(1), StatsApp.Today), StatsApp.Today),
        };
        for (var i = 0; i < 4; i++)
        {
            var from = firstDate.AddDays(random.Next(500));
            windows.Add((from, from.AddDays(random.Next(1, 300))));
        }
        foreach (var (from, to) in windows)
        {
            foreach (var include in new[] { "", "void", "void,archived", "archived" })
            {
                var filter = new Filter(null, include.Contains("void", StringComparison.Ordinal), include.Contains("archived", StringComparison.Ordinal));
                var path = $"/dashboard?from={StatsApp.Iso(from)}&to={StatsApp.Iso(to)}&top=50&breakdown=created_by{(include.Length > 0 ? "&include=" + include : "")}";
                Assert.Equal(ExpectedDashboard(invoices, from, to, filter), ActualDashboard(await StatsApp.GetJsonAsync(app.A, path)));
            }
        }
        foreach (var by in new[] { "none", "status", "category" })
        {
            foreach (var (currency, include) in new[] { ((string?)null, ""), ("USD", "void,archived") })
            {
                var filter = new Filter(currency, include.Length > 0, include.Length > 0);
                var path = $"/trend?months=30&by={by}{(currency is null ? "" : "&currency=" + currency)}{(include.Length > 0 ? "&include=" + include : "")}";
                Assert.Equal(ExpectedTrend(invoices, 30, by, filter), ActualTrend(await StatsApp.GetJsonAsync(app.A, path)));
            }
        }
    }

    /// <summary>Rollup rows that a plain GROUP BY over invoices does not produce, and the other way round, written independently of 0004's functions.</summary>
    private static async Task<List<string>> RollupDifferencesAsync(NpgsqlDataSource admin)
    {
        const string Raw = """
            SELECT account_id, 'all' AS dimension, g.grain, CASE g.grain WHEN 'day' THEN date WHEN 'month' THEN date_trunc('month', date)::date ELSE date_trunc('year', date)::date END AS period,
                   currency, status, archived_at IS NOT NULL AS archived, '' AS value, '' AS nit, amount FROM invoices, (VALUES ('day'), ('month'), ('year')) g(grain)
            UNION ALL
            SELECT account_id, 'category', g.grain, CASE g.grain WHEN 'day' THEN date WHEN 'month' THEN date_trunc('month', date)::date ELSE date_trunc('year', date)::date END,
                   currency, status, archived_at IS NOT NULL, lower(category), '', amount FROM invoices, (VALUES ('day'), ('month'), ('year')) g(grain)
            UNION ALL
            SELECT account_id, 'payment_method', g.grain, CASE g.grain WHEN 'day' THEN date WHEN 'month' THEN date_trunc('month', date)::date ELSE date_trunc('year', date)::date END,
                   currency, status, archived_at IS NOT NULL, coalesce(payment_method, ''), '', amount FROM invoices, (VALUES ('day'), ('month'), ('year')) g(grain)
            UNION ALL
            SELECT account_id, 'provider', g.grain, CASE g.grain WHEN 'day' THEN date WHEN 'month' THEN date_trunc('month', date)::date ELSE date_trunc('year', date)::date END,
                   currency, status, archived_at IS NOT NULL, lower(provider), coalesce(nit, ''), amount FROM invoices, (VALUES ('day'), ('month'), ('year')) g(grain)
            UNION ALL
            SELECT account_id, 'created_by', g.grain, CASE g.grain WHEN 'day' THEN date WHEN 'month' THEN date_trunc('month', date)::date ELSE date_trunc('year', date)::date END,
                   currency, status, archived_at IS NOT NULL, created_by, '', amount FROM invoices, (VALUES ('day'), ('month'), ('year')) g(grain)
            """;
        return await DifferencesAsync(admin, $"""
            SELECT account_id, dimension, grain, period, currency, status, archived, value, nit, count(*)::bigint AS invoice_count, sum(amount) AS total
            FROM ({Raw}) AS raw GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            """, "SELECT account_id, dimension, grain, period, currency, status, archived, value, nit, sum(invoice_count)::bigint AS invoice_count, sum(total) AS total FROM invoice_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9");
    }

    /// <summary>invoice_live_rollups (0005) as a plain GROUP BY over the invoices that count by default (no void, no archived).</summary>
    private const string LiveRollupsFromInvoices = """
        SELECT account_id, d.dimension, g.grain,
               CASE g.grain WHEN 'day' THEN date WHEN 'month' THEN date_trunc('month', date)::date ELSE date_trunc('year', date)::date END AS period,
               currency, d.value, count(*)::bigint AS invoice_count, sum(amount) AS total
        FROM invoices, (VALUES ('day'), ('month'), ('year')) AS g (grain),
             LATERAL (VALUES ('status', status), ('category', lower(category)), ('payment_method', coalesce(payment_method, '')), ('provider', lower(provider)),
                             ('created_by', created_by)) AS d (dimension, value)
        WHERE status <> 'void' AND archived_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        """;

    /// <summary>invoice_overdue_rollups (0005) as a plain GROUP BY over pending invoices with a due date, by date and due date at month and day grain.</summary>
    private const string OverdueRollupsFromInvoices = """
        SELECT account_id, a.grain, b.grain,
               CASE a.grain WHEN 'day' THEN date ELSE date_trunc('month', date)::date END,
               CASE b.grain WHEN 'day' THEN due_date ELSE date_trunc('month', due_date)::date END,
               currency, archived_at IS NOT NULL, count(*)::bigint, sum(amount)
        FROM invoices, (VALUES ('day'), ('month')) AS a (grain), (VALUES ('day'), ('month')) AS b (grain)
        WHERE status = 'pending' AND due_date IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        """;

    /// <summary>Rows of <paramref name="actual"/> (emptied rows left out) that <paramref name="expected"/> does not produce, and the other way round.</summary>
    internal static async Task<List<string>> DifferencesAsync(NpgsqlDataSource admin, string expected, string actual)
    {
        await using var command = admin.CreateCommand($"""
            WITH expected AS ({expected}),
            actual AS (SELECT * FROM ({actual}) AS a WHERE invoice_count <> 0 OR total <> 0)
            SELECT 'missing or wrong: ' || row(e.*)::text FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) AS e
            UNION ALL
            SELECT 'extra or wrong: ' || row(a.*)::text FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) AS a
            LIMIT 20
            """);
        var differences = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            differences.Add(reader.GetString(0));
        }
        return differences;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private sealed record Invoice(DateOnly Date, DateOnly? DueDate, string Provider, string Currency, string Method, string Category, string Status, bool Archived, decimal Amount,
        string CreatedBy);

    private sealed record Filter(string? Currency, bool IncludeVoid, bool IncludeArchived)
    {
        internal bool Wants(Invoice invoice) =>
            (Currency is null || invoice.Currency == Currency) && (IncludeVoid || invoice.Status != "void") && (IncludeArchived || !invoice.Archived);
    }

    private static async Task<List<Invoice>> RawInvoicesAsync(NpgsqlDataSource admin, string userId)
    {
        await using var command = admin.CreateCommand(
            "SELECT date, due_date, provider, currency, coalesce(payment_method, ''), category, status, archived_at IS NOT NULL, amount, created_by FROM invoices WHERE account_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        var invoices = new List<Invoice>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            invoices.Add(new Invoice(reader.GetFieldValue<DateOnly>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetBoolean(7), reader.GetDecimal(8), reader.GetString(9)));
        }
        return invoices;
    }

    private static List<string> ExpectedDashboard(List<Invoice> invoices, DateOnly from, DateOnly to, Filter filter)
    {
        var days = to.DayNumber - from.DayNumber + 1;
        var current = invoices.Where(i => filter.Wants(i) && i.Date >= from && i.Date <= to).ToList();
        var previous = invoices.Where(i => filter.Wants(i) && i.Date >= from.AddDays(-days) && i.Date < from).ToList();
        var lines = new List<string>();
        foreach (var currency in current.Concat(previous).Select(i => i.Currency).Distinct().Order(StringComparer.Ordinal))
        {
            var mine = current.Where(i => i.Currency == currency).ToList();
            var before = previous.Where(i => i.Currency == currency).ToList();
            var total = mine.Sum(i => i.Amount);
            var previousTotal = before.Sum(i => i.Amount);
            lines.Add($"{currency} {Figures(mine)} avg {Average(mine)} | previous {Figures(before)} avg {Average(before)} | change "
                + (previousTotal == 0 ? "null" : Math.Round((total - previousTotal) * 100 / previousTotal, 2, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)));
            lines.Add($"{currency} status {Groups(mine, i => i.Status)}");
            lines.Add($"{currency} category {Groups(mine, i => i.Category.ToLowerInvariant())}");
            lines.Add($"{currency} method {Groups(mine, i => i.Method)}");
            lines.Add($"{currency} members {Groups(mine, i => i.CreatedBy)}");
            lines.Add($"{currency} providers {string.Join("; ", mine.GroupBy(i => i.Provider.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {Figures(g)} last {StatsApp.Iso(g.Max(i => i.Date))}"))}");
            lines.Add($"{currency} pending {Figures(mine.Where(i => i.Status == "pending"))}");
            lines.Add($"{currency} overdue {Figures(mine.Where(i => i.Status == "pending" && i.DueDate < StatsApp.Today))}");
        }
        return lines;
    }

    private static List<string> ActualDashboard(JsonElement body)
    {
        var lines = new List<string>();
        foreach (var figures in body.GetProperty("currencies").EnumerateArray())
        {
            var currency = figures.GetProperty("currency").GetString();
            var previous = figures.GetProperty("previous");
            var change = figures.GetProperty("change_percent");
            lines.Add($"{currency} {Figures(figures)} avg {figures.GetProperty("average")} | previous {Figures(previous)} avg {previous.GetProperty("average")} | change "
                + (change.ValueKind == JsonValueKind.Null ? "null" : change.GetDecimal().ToString(CultureInfo.InvariantCulture)));
            lines.Add($"{currency} status {Groups(figures.GetProperty("by_status"), "status")}");
            lines.Add($"{currency} category {Groups(figures.GetProperty("by_category"), "category")}");
            lines.Add($"{currency} method {Groups(figures.GetProperty("by_payment_method"), "payment_method")}");
            lines.Add($"{currency} members {Groups(figures.GetProperty("by_created_by"), "created_by")}");
            lines.Add($"{currency} providers {string.Join("; ", figures.GetProperty("top_providers").EnumerateArray()
                .Select(p => (Key: p.GetProperty("provider").GetString()!.ToLowerInvariant(), Row: p)).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key} {Figures(p.Row)} last {p.Row.GetProperty("last_invoice_date").GetString()}"))}");
            lines.Add($"{currency} pending {Figures(figures.GetProperty("pending"))}");
            lines.Add($"{currency} overdue {Figures(figures.GetProperty("overdue"))}");
        }
        return lines;
    }

    private static List<string> ExpectedTrend(List<Invoice> invoices, int months, string by, Filter filter)
    {
        var first = StatsApp.CurrentMonth.AddMonths(1 - months);
        var inWindow = invoices.Where(i => filter.Wants(i) && i.Date >= first && i.Date < StatsApp.CurrentMonth.AddMonths(1)).ToList();
        var currencies = inWindow.Select(i => i.Currency).Distinct().Order(StringComparer.Ordinal).ToList();
        if (currencies.Count == 0)
        {
            currencies.Add(filter.Currency ?? "COP");
        }
        Func<Invoice, string> key = by == "status" ? i => i.Status : i => i.Category.ToLowerInvariant();
        var lines = new List<string>();
        foreach (var currency in currencies)
        {
            var mine = inWindow.Where(i => i.Currency == currency).ToList();
            var groups = by switch
            {
                "status" => filter.IncludeVoid ? ["pending", "paid", "void"] : new List<string> { "pending", "paid" },
                "category" => mine.Select(key).Distinct().Order(StringComparer.Ordinal).ToList(),
                _ => [],
            };
            for (var month = first; month <= StatsApp.CurrentMonth; month = month.AddMonths(1))
            {
                var inMonth = mine.Where(i => i.Date >= month && i.Date < month.AddMonths(1)).ToList();
                lines.Add($"{currency} {month:yyyy-MM} {Figures(inMonth)} [{string.Join("; ", groups.Select(g => $"{g} {Figures(inMonth.Where(i => key(i) == g))}"))}]");
            }
        }
        return lines;
    }

    private static List<string> ActualTrend(JsonElement body) =>
        body.GetProperty("currencies").EnumerateArray().SelectMany(c => c.GetProperty("series").EnumerateArray().Select(m =>
            $"{c.GetProperty("currency").GetString()} {m.GetProperty("month").GetString()} {Figures(m)} ["
            + (m.TryGetProperty("groups", out var groups)
                ? string.Join("; ", groups.EnumerateArray().Select(g => $"{g.GetProperty("key").GetString()} {Figures(g)}"))
                : "")
            + "]")).ToList();

    private static string Figures(IEnumerable<Invoice> invoices) =>
        $"{invoices.Count()} {invoices.Sum(i => i.Amount).ToString("0.00", CultureInfo.InvariantCulture)}";

    private static string Figures(JsonElement figures) => DashboardFiguresTests.CountAndTotal(figures);

    private static string Average(List<Invoice> invoices) => invoices.Count == 0 ? "" :
        Math.Round(invoices.Sum(i => i.Amount) / invoices.Count, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Groups(List<Invoice> invoices, Func<Invoice, string> key) =>
        string.Join("; ", invoices.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {Figures(g)}"));

    private static string Groups(JsonElement rows, string name) =>
        string.Join("; ", rows.EnumerateArray().Select(r => (Key: (r.GetProperty(name).GetString() ?? "").ToLowerInvariant(), Row: r))
            .OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {Figures(r.Row)}"));
}
