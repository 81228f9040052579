using InvoiceApi.Data;
using InvoiceApi.Tests.Infrastructure;
using Invoices;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Keyset pagination: every row exactly once and in order, also while rows are added, and on the indexes.</summary>
public sealed class PaginationTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static IEnumerable<SeedInvoice> Ordered(IEnumerable<SeedInvoice> rows, string sort, bool descending)
    {
        Func<SeedInvoice, IComparable> key = sort switch
        {
            "amount" => row => row.Amount,
            "created_at" => row => row.CreatedAt,
            "provider" => row => row.Provider.ToLowerInvariant(),
            _ => row => row.Date,
        };
        var comparer = sort == "provider" ? (IComparer<IComparable>)Comparer<IComparable>.Create((x, y) => string.CompareOrdinal((string)x, (string)y)) : Comparer<IComparable>.Default;
        return descending
            ? rows.OrderByDescending(key, comparer).ThenByDescending(row => row.Id)
            : rows.OrderBy(key, comparer).ThenBy(row => row.Id);
    }

    [Theory]
    [InlineData("date", "desc")]
    [InlineData("date", "asc")]
    [InlineData("amount", "desc")]
    [InlineData("created_at", "asc")]
    [InlineData("provider", "asc")]
    [InlineData("provider", "desc")]
    public async Task Walking_every_page_of_1000_invoices_returns_each_once_in_order(string sort, string order)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var mine = ListSeed.Many(InvoicesApp.CallerA, 1000);
        await ListSeed.InsertAsync(app.Database, [.. mine, .. ListSeed.Many(InvoicesApp.CallerB, 50, seed: 2)]);

        var ids = await ListSeed.AllPagesAsync(app.A, $"sort={sort}&order={order}&limit=100");

        Assert.Equal(Ordered(mine, sort, order == "desc").Select(row => row.Id), ids);
    }

    [Fact]
    public async Task Rows_added_between_pages_never_repeat_or_skip_the_rows_already_there()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var mine = ListSeed.Many(InvoicesApp.CallerA, 1000);
        await ListSeed.InsertAsync(app.Database, mine);
        var added = new List<SeedInvoice>();
        var batch = 0;

        var ids = await ListSeed.AllPagesAsync(app.A, "limit=50", async () =>
        {
            // New invoices land everywhere in the order: before, inside and after the pages already read.
            var fresh = ListSeed.Many(InvoicesApp.CallerA, 5, seed: 100 + batch++);
            added.AddRange(fresh);
            await ListSeed.InsertAsync(app.Database, fresh);
        });

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var original = mine.Select(row => row.Id).ToHashSet();
        Assert.Equal(Ordered(mine, "date", descending: true).Select(row => row.Id), ids.Where(original.Contains));
        var everything = Ordered([.. mine, .. added], "date", descending: true).Select(row => row.Id).ToList();
        Assert.True(ids.Select(id => everything.IndexOf(id)).Order().SequenceEqual(ids.Select(id => everything.IndexOf(id))), "pages are in order");
    }

    [Fact]
    public async Task The_link_header_and_next_cursor_lead_to_the_same_next_page_with_the_same_filters()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await ListSeed.InsertAsync(app.Database, ListSeed.Many(InvoicesApp.CallerA, 30));

        var (_, next, response) = await ListSeed.PageAsync(app.A, "/?category=office&sort=amount&limit=5");
        var link = Assert.Single(response.Headers.GetValues("Link"));

        Assert.StartsWith("</?category=office&sort=amount&limit=5&cursor=", link, StringComparison.Ordinal);
        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
        var linked = link[1..link.IndexOf('>', StringComparison.Ordinal)];
        Assert.Equal(Uri.EscapeDataString(next!), linked[(linked.IndexOf("cursor=", StringComparison.Ordinal) + "cursor=".Length)..]);
        var (fromLink, _, _) = await ListSeed.PageAsync(app.A, linked);
        var (fromCursor, _, _) = await ListSeed.PageAsync(app.A, $"/?category=office&sort=amount&limit=5&cursor={Uri.EscapeDataString(next!)}");
        Assert.Equal(fromCursor, fromLink);
        Assert.Equal(5, fromLink.Count);
    }

    [Fact]
    public async Task The_last_page_has_no_next_cursor()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await ListSeed.InsertAsync(app.Database, ListSeed.Many(InvoicesApp.CallerA, 10));

        var (ids, next, response) = await ListSeed.PageAsync(app.A, "/?limit=10");

        Assert.Equal(10, ids.Count);
        Assert.Null(next);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("date", true)]
    [InlineData("date", false)]
    [InlineData("amount", true)]
    [InlineData("created_at", false)]
    [InlineData("provider", true)]
    [InlineData("provider", false)]
    public async Task A_deep_page_reads_the_index_in_order_without_sorting_the_callers_rows(string sort, bool descending)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await ListSeed.InsertAsync(app.Database, [.. ListSeed.Many(InvoicesApp.CallerA, 3000), .. ListSeed.Many(InvoicesApp.CallerB, 3000, seed: 3)]);
        var invoiceSort = new InvoiceSort(InvoiceSort.Names[sort], descending);
        var after = new CursorPosition(sort switch { "amount" => "2500.00", "created_at" => "2024-01-15T00:00:00.000000Z", "provider" => "Bodega Central", _ => "2023-06-01" }, Guid.CreateVersion7());

        await using var dataSource = app.Database.AdminDataSource();
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        await using var command = InvoiceQuery.Command(connection, InvoicesApp.CallerA, new InvoiceFilter(), invoiceSort, DateOnly.FromDateTime(DateTime.UtcNow), after, 21);
        // The plan of the SELECT, which follows the read's scope in the same command.
        command.CommandText = command.CommandText.Replace(ReadOnlyQuery.Scope, ReadOnlyQuery.Scope + "EXPLAIN (COSTS OFF) ", StringComparison.Ordinal);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                plan.Add(reader.GetString(0));
            }
        }
        var text = string.Join('\n', plan);

        Assert.Contains($"invoices_account_{(sort == "created_at" ? "created" : sort)}_idx", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }
}
