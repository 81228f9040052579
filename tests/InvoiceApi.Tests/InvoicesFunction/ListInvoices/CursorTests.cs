using System.Net;
using InvoiceApi.Tests.Infrastructure;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Cursors are opaque and tagged: a changed one, or one reused with other filters or order, is a 400 problem.</summary>
public sealed class CursorTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(InvoicesApp App, string Cursor)> FirstPageAsync(PostgresServer server, Dictionary<string, string?>? variables = null)
    {
        var app = await InvoicesApp.StartAsync(server, variables);
        await ListSeed.InsertAsync(app.Database, ListSeed.Many(InvoicesApp.CallerA, 12));
        var (_, next, _) = await ListSeed.PageAsync(app.A, "/?status=pending,paid,void&limit=3");
        return (app, next!);
    }

    private static async Task AssertBadCursorAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["cursor"], await ListSeed.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task A_cursor_with_one_character_changed_is_refused()
    {
        var (app, cursor) = await FirstPageAsync(server);
        await using var _ = app;

        for (var position = 0; position < cursor.Length; position += 7)
        {
            var changed = cursor[..position] + (cursor[position] == 'A' ? 'B' : 'A') + cursor[(position + 1)..];
            await AssertBadCursorAsync(app.A, $"/?status=pending,paid,void&limit=3&cursor={changed}");
        }
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("%%%")]
    [InlineData("AAAA")]
    public async Task Garbage_is_refused(string cursor)
    {
        var (app, _) = await FirstPageAsync(server);
        await using var _1 = app;

        await AssertBadCursorAsync(app.A, $"/?cursor={cursor}");
    }

    [Theory]
    [InlineData("status=pending,paid&limit=3")]
    [InlineData("status=pending,paid,void&limit=3&sort=amount")]
    [InlineData("status=pending,paid,void&limit=3&order=asc")]
    [InlineData("status=pending,paid,void&limit=3&include=archived")]
    [InlineData("limit=3")]
    public async Task A_cursor_reused_with_other_filters_or_order_is_refused(string query)
    {
        var (app, cursor) = await FirstPageAsync(server);
        await using var _ = app;

        await AssertBadCursorAsync(app.A, $"/?{query}&cursor={cursor}");
    }

    [Fact]
    public async Task The_same_filters_written_differently_accept_the_cursor_and_so_does_another_page_size()
    {
        var (app, cursor) = await FirstPageAsync(server);
        await using var _ = app;

        var (ids, _, _) = await ListSeed.PageAsync(app.A, $"/?status=void&status=paid,pending&limit=5&cursor={cursor}");

        Assert.Equal(5, ids.Count);
    }

    [Fact]
    public async Task A_cursor_signed_with_another_key_is_refused()
    {
        var (signed, cursor) = await FirstPageAsync(server, new() { ["CURSOR_SIGNING_KEY"] = "one key shared by every instance of deployment one" });
        await using var _ = signed;
        await using var other = await InvoicesApp.StartAsync(server, new() { ["CURSOR_SIGNING_KEY"] = "another deployment's key, not shared" });

        await AssertBadCursorAsync(other.A, $"/?status=pending,paid,void&limit=3&cursor={cursor}");
        var (ids, _, _) = await ListSeed.PageAsync(signed.A, $"/?status=pending,paid,void&limit=3&cursor={cursor}");
        Assert.Equal(3, ids.Count);
    }
}
