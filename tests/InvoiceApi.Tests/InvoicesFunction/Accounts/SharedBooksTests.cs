using System.Net;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>
/// Issue 16: the books belong to a business account; its members share them, each with a role, and every invoice says who
/// recorded and changed it. Run against the Invoices function in process, on a migrated PostgreSQL.
/// </summary>
public sealed class SharedBooksTests(PostgresServer server)
{
    private const string Business = "acct_clinica_norte";
    private const string OtherBusiness = "acct_ferreteria_sur";

    /// <summary>A member's client: its token names the account, the role and a verified email.</summary>
    private static HttpClient Member(InvoicesApp app, string sub, string role, string account = Business) =>
        app.ClientFor(sub, new Dictionary<string, object>
        {
            ["account"] = account, ["account_role"] = role, ["email"] = $"{sub}@clinica.example", ["email_verified"] = true,
        });

    [Fact]
    public async Task Members_of_one_account_see_change_and_list_the_same_invoices_and_each_change_names_its_member()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var editor = Member(app, "luis", "editor");
        using var viewer = Member(app, "sara", "viewer");

        var (created, etag) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;
        using var patched = await SendAsync(editor, HttpMethod.Patch, $"/{id}", """{"amount":"99.00"}""", ifMatch: etag);
        var seenByViewer = await JsonAsync(await viewer.GetAsync($"/{id}", Token));
        var listedByOwner = await JsonAsync(await owner.GetAsync("/", Token));
        var listedByViewer = await JsonAsync(await viewer.GetAsync("/", Token));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("ana", "ana@clinica.example"), (created.GetProperty("created_by").GetString(), created.GetProperty("created_by_email").GetString()));
        Assert.Equal("99.00", seenByViewer.GetProperty("amount").GetString());
        Assert.Equal(("ana", "luis", "luis@clinica.example"), (seenByViewer.GetProperty("created_by").GetString(),
            seenByViewer.GetProperty("updated_by").GetString(), seenByViewer.GetProperty("updated_by_email").GetString()));
        Assert.Equal(listedByOwner.GetProperty("data").ToString(), listedByViewer.GetProperty("data").ToString());
        Assert.Equal(id, Assert.Single(listedByViewer.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1, await CountAsync(app, $"SELECT count(*) FROM invoices WHERE account_id = '{Business}'"));
    }

    [Fact]
    public async Task A_viewer_gets_403_naming_the_editor_role_on_every_write_and_nothing_is_written()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var viewer = Member(app, "sara", "viewer");
        var (created, etag) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;
        using (var archive = await SendAsync(owner, HttpMethod.Delete, $"/{id}", ifMatch: etag))
        {
            etag = archive.Headers.ETag!.ToString();
        }
        var before = await RowTextAsync(app, id);
        var historyBefore = await CountAsync(app, "SELECT count(*) FROM invoice_history");

        HttpResponseMessage[] writes =
        [
            await SendAsync(viewer, HttpMethod.Post, "/", Body()),
            await SendAsync(viewer, HttpMethod.Post, "/", Body(), idempotencyKey: "viewer-key"),
            await SendAsync(viewer, HttpMethod.Put, $"/{id}", Body(), ifMatch: etag),
            await SendAsync(viewer, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: etag),
            await SendAsync(viewer, HttpMethod.Delete, $"/{id}", ifMatch: etag),
            await SendAsync(viewer, HttpMethod.Post, $"/{id}/restore"),
            await SendAsync(viewer, HttpMethod.Post, "/import", $"[{Body()}]"),
        ];

        foreach (var response in writes)
        {
            using (response)
            {
                var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden);
                Assert.Equal("urn:invoice-api:problem:role-too-low", problem.GetProperty("type").GetString());
                Assert.Contains("needs the editor role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Contains("is viewer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
        Assert.Equal(before, await RowTextAsync(app, id));
        Assert.Equal(1, await InvoiceCountAsync(app));
        Assert.Equal(historyBefore, await CountAsync(app, "SELECT count(*) FROM invoice_history"));
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM idempotency_keys"));
    }

    [Fact]
    public async Task A_viewer_reads_lists_exports_and_reads_the_history()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var viewer = Member(app, "sara", "viewer");
        var (created, _) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;

        using var get = await viewer.GetAsync($"/{id}", Token);
        using var list = await viewer.GetAsync("/", Token);
        using var export = await viewer.GetAsync("/export.csv", Token);
        using var history = await viewer.GetAsync($"/{id}/history", Token);

        Assert.All(new[] { get, list, export, history }, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(2, (await export.Content.ReadAsStringAsync(Token)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Another_accounts_member_gets_404_on_every_route_and_an_empty_list_whatever_its_role()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var stranger = Member(app, "olga", "owner", account: OtherBusiness);
        var (created, etag) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        HttpResponseMessage[] reaches =
        [
            await stranger.GetAsync($"/{id}", Token),
            await stranger.GetAsync($"/{id}/history", Token),
            await SendAsync(stranger, HttpMethod.Put, $"/{id}", Body(), ifMatch: etag),
            await SendAsync(stranger, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: "*"),
            await SendAsync(stranger, HttpMethod.Delete, $"/{id}", ifMatch: etag),
            await SendAsync(stranger, HttpMethod.Post, $"/{id}/restore"),
        ];
        var list = await JsonAsync(await stranger.GetAsync("/?include=archived", Token));
        var export = await (await stranger.GetAsync("/export.csv", Token)).Content.ReadAsStringAsync(Token);
        // The member's own personal account is another account too.
        using var personal = app.ClientFor("ana");
        using var personalGet = await personal.GetAsync($"/{id}", Token);

        foreach (var response in reaches.Append(personalGet))
        {
            using (response)
            {
                await AssertProblemAsync(response, HttpStatusCode.NotFound);
            }
        }
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Single(export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task The_history_records_every_kind_of_change_with_its_member_newest_first()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var editor = Member(app, "luis", "editor");
        var (created, etag) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;
        etag = await ChangeAsync(editor, HttpMethod.Patch, $"/{id}", """{"amount":"99.00","description":null}""", etag);
        etag = await ChangeAsync(editor, HttpMethod.Put, $"/{id}", Body(b => b["provider"] = "Papelería Luna"), etag);
        etag = await ChangeAsync(editor, HttpMethod.Delete, $"/{id}", null, etag);
        await ChangeAsync(owner, HttpMethod.Post, $"/{id}/restore", null, etag);

        var entries = (await JsonAsync(await owner.GetAsync($"/{id}/history", Token))).GetProperty("data").EnumerateArray().ToList();

        Assert.Equal(["restore", "archive", "replace", "patch", "create"], entries.Select(e => e.GetProperty("operation").GetString()));
        Assert.Equal(["ana", "luis", "luis", "luis", "ana"], entries.Select(e => e.GetProperty("member_id").GetString()));
        Assert.Equal([5, 4, 3, 2, 1], entries.Select(e => e.GetProperty("version").GetInt32()));
        Assert.Equal("luis@clinica.example", entries[3].GetProperty("member_email").GetString());
        Assert.Equal([("amount", "1234.50", "99.00"), ("description", "Paper and toner", null)], Changes(entries[3]));
        // The PUT sends the whole invoice: the patched amount and description come back too.
        Assert.Equal([("amount", "99.00", "1234.50"), ("description", null, "Paper and toner"), ("provider", "Papelería El Sol S.A.S.", "Papelería Luna")],
            Changes(entries[2]));
        var archived = Assert.Single(entries[1].GetProperty("changes").EnumerateArray());
        Assert.Equal(("archived_at", JsonValueKind.Null, JsonValueKind.String),
            (archived.GetProperty("field").GetString(), archived.GetProperty("old").ValueKind, archived.GetProperty("new").ValueKind));
        var createdFields = entries[4].GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("amount", createdFields);
        Assert.DoesNotContain("paid_at", createdFields);
        Assert.DoesNotContain("account_id", createdFields);
        Assert.All(entries[4].GetProperty("changes").EnumerateArray(), change => Assert.Equal(JsonValueKind.Null, change.GetProperty("old").ValueKind));
    }

    [Fact]
    public async Task The_history_pages_with_its_cursor_and_refuses_a_made_up_one()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        var (created, etag) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;
        for (var i = 1; i <= 4; i++)
        {
            etag = await ChangeAsync(owner, HttpMethod.Patch, $"/{id}", $$"""{"amount":"{{i}}.00"}""", etag);
        }

        var first = await JsonAsync(await owner.GetAsync($"/{id}/history?limit=2", Token));
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await JsonAsync(await owner.GetAsync($"/{id}/history?limit=2&cursor={cursor}", Token));
        var third = await JsonAsync(await owner.GetAsync($"/{id}/history?limit=2&cursor={second.GetProperty("next_cursor").GetString()}", Token));
        using var bad = await owner.GetAsync($"/{id}/history?cursor=abc", Token);

        var versions = new[] { first, second, third }.SelectMany(page => page.GetProperty("data").EnumerateArray()).Select(e => e.GetProperty("version").GetInt32());
        Assert.Equal([5, 4, 3, 2, 1], versions);
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
        var problem = await AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.Contains("cursor", problem.GetProperty("errors").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_writes_one_history_entry_per_invoice_by_the_importing_member()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var editor = Member(app, "luis", "editor");

        using var imported = await SendAsync(editor, HttpMethod.Post, "/import", $"[{Body()},{Body(b => b["number"] = "F-002")}]");

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(2, await CountAsync(app, "SELECT count(*) FROM invoice_history WHERE operation = 'import' AND member_id = 'luis' AND version = 1"));
        Assert.Equal(2, await CountAsync(app, "SELECT count(*) FROM invoices WHERE created_by = 'luis' AND created_by_email = 'luis@clinica.example'"));
    }

    [Fact]
    public async Task Lists_filter_by_who_recorded_the_invoice()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var editor = Member(app, "luis", "editor");
        await CreateAsync(owner);
        var (byEditor, _) = await CreateAsync(editor, Body(b => b["number"] = "L-1"));

        var list = await JsonAsync(await owner.GetAsync("/?created_by=luis", Token));
        var export = await (await owner.GetAsync("/export.csv?created_by=luis", Token)).Content.ReadAsStringAsync(Token);

        Assert.Equal(byEditor.GetProperty("id").GetString(), Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(2, export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Two_members_using_the_same_idempotency_key_never_replay_each_others_answer()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var editor = Member(app, "luis", "editor");

        using var first = await SendAsync(owner, HttpMethod.Post, "/", Body(), idempotencyKey: "monday-batch");
        using var second = await SendAsync(editor, HttpMethod.Post, "/", Body(b => b["number"] = "F-XYZ"), idempotencyKey: "monday-batch");
        using var replay = await SendAsync(editor, HttpMethod.Post, "/", Body(b => b["number"] = "F-XYZ"), idempotencyKey: "monday-batch");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        Assert.False(second.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal("true", replay.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(2, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task Two_members_changing_one_invoice_at_once_meet_the_etag_rule()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = Member(app, "ana", "owner");
        using var editor = Member(app, "luis", "editor");
        var (created, etag) = await CreateAsync(owner);
        var id = created.GetProperty("id").GetString()!;

        using var first = await SendAsync(owner, HttpMethod.Patch, $"/{id}", """{"amount":"10.00"}""", ifMatch: etag);
        using var second = await SendAsync(editor, HttpMethod.Patch, $"/{id}", """{"amount":"20.00"}""", ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.PreconditionFailed);
        Assert.Equal("10.00", (await JsonAsync(await editor.GetAsync($"/{id}", Token))).GetProperty("amount").GetString());
    }

    [Theory]
    [InlineData("""{"firebase":{"tenant":"tenant-clinic","sign_in_provider":"password"}}""", "tenant-clinic")]
    [InlineData("""{"account":"acct_x","firebase":{"tenant":"tenant-clinic"}}""", "acct_x")]
    [InlineData("""{}""", "solo-user")]
    public async Task The_account_is_the_claim_else_the_tenant_else_the_callers_own(string claimsJson, string expectedAccount)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(claimsJson)!.ToDictionary(p => p.Key, p => (object)p.Value);
        claims["account_role"] = "editor";
        using var client = app.ClientFor("solo-user", claims);

        await CreateAsync(client);

        Assert.Equal(1, await CountAsync(app, $"SELECT count(*) FROM invoices WHERE account_id = '{expectedAccount}' AND created_by = 'solo-user'"));
    }

    [Fact]
    public async Task Without_a_role_claim_a_named_account_gives_the_viewer_role_and_a_personal_one_the_owner_role()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var named = app.ClientFor("nora", new Dictionary<string, object> { ["account"] = Business });
        using var personal = app.ClientFor("nora");

        using var namedWrite = await SendAsync(named, HttpMethod.Post, "/", Body());
        using var personalWrite = await SendAsync(personal, HttpMethod.Post, "/", Body());

        await AssertProblemAsync(namedWrite, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, personalWrite.StatusCode);
    }

    [Theory]
    [InlineData("account_role", "admin")]
    [InlineData("account_role", "Editor")]
    [InlineData("account", "")]
    public async Task An_unusable_account_or_role_claim_is_401_naming_it(string claim, string value)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var client = app.ClientFor("nora", new Dictionary<string, object> { [claim] = value });

        using var response = await client.GetAsync("/", Token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(claim, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unverified_email_is_not_recorded()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var client = app.ClientFor("nora", new Dictionary<string, object> { ["email"] = "boss@bank.example", ["email_verified"] = false });

        var (created, _) = await CreateAsync(client);

        Assert.Equal(JsonValueKind.Null, created.GetProperty("created_by_email").ValueKind);
    }

    private static async Task<string> ChangeAsync(HttpClient client, HttpMethod method, string path, string? body, string etag)
    {
        using var response = await SendAsync(client, method, path, body, ifMatch: etag);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
        return response.Headers.ETag!.ToString();
    }

    private static List<(string? Field, string? Old, string? New)> Changes(JsonElement entry) =>
        [.. entry.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("field").GetString(), Text(c.GetProperty("old")), Text(c.GetProperty("new"))))];

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
