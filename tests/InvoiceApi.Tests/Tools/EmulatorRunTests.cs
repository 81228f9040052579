using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.OpenApi;
using InvoiceApi.Tools.Emulator;
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
    public const int BusinessShare = 240;
    public const int PersonalShare = 60;
    // One in ten of the business's invoices came in as DIAN documents: 20 invoices, 3 credit notes, 1 debit note.
    public const int Documents = 24;

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

/// <summary>
/// What the README's first command promises once it is up: the table, a token per demo member, the demo accounts and who
/// recorded and changed their invoices, the roles, the logs, the token verb.
/// </summary>
public sealed class EmulatorRunTests(SeededEmulator emulator) : IClassFixture<SeededEmulator>
{
    private static readonly TimeSpan VerbLimit = TimeSpan.FromMinutes(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void The_table_gives_each_function_url_and_a_12_hour_token_per_demo_member()
    {
        var table = emulator.Table;

        Assert.StartsWith(emulator.Home.InvoicesUrl.ToString().TrimEnd('/') + " ", table.Row("invoices"), StringComparison.Ordinal);
        Assert.StartsWith(emulator.Home.StatsUrl.ToString().TrimEnd('/') + " ", table.Row("stats"), StringComparison.Ordinal);
        foreach (var member in LocalCallers.All)
        {
            var claims = Claims(table.Token(member.Id));
            Assert.Equal(member.Id, claims.GetProperty("sub").GetString());
            Assert.Equal(member.AccountId, claims.TryGetProperty("account", out var account) ? account.GetString() : null);
            Assert.Equal(member.Role!.Value.Name(), claims.GetProperty("account_role").GetString());
            Assert.Equal(member.Email, claims.GetProperty("email").GetString());
            Assert.Equal(JsonValueKind.True, claims.GetProperty("email_verified").ValueKind);
            Assert.Equal(12 * 3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
            Assert.False(claims.TryGetProperty("role", out _));
        }
        Assert.Equal(["demo-owner", "demo-editor", "demo-viewer", "demo-user-2"], LocalCallers.All.Select(member => member.Id));
        Assert.Equal(LocalCallers.BusinessAccount, Claims(table.Token("demo-viewer")).GetProperty("account").GetString());
        Assert.Contains(emulator.Home.DataDirectory, table.Row("data"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_business_member_reads_the_same_seeded_invoices_and_the_second_account_only_its_own()
    {
        var owner = await AllInvoicesAsync(emulator.Table.Token("demo-owner"));
        var editor = await AllInvoicesAsync(emulator.Table.Token("demo-editor"));
        var viewer = await AllInvoicesAsync(emulator.Table.Token("demo-viewer"));
        var personal = await AllInvoicesAsync(emulator.Table.Token("demo-user-2"));

        Assert.Equal(SeededEmulator.BusinessShare, owner.Count);
        Assert.Equal(owner.Select(Id).Order(), editor.Select(Id).Order());
        Assert.Equal(owner.Select(Id).Order(), viewer.Select(Id).Order());
        Assert.Equal(SeededEmulator.PersonalShare, personal.Count);
        Assert.Empty(owner.Select(Id).Intersect(personal.Select(Id)));
        Assert.All(personal, invoice => Assert.Equal(("demo-user-2", "dora@demo.local"), Recorder(invoice)));
    }

    [Fact]
    public async Task The_business_invoices_say_who_recorded_and_last_changed_them_and_the_history_agrees()
    {
        var viewer = emulator.Table.Token("demo-viewer");
        var invoices = await AllInvoicesAsync(viewer);

        // The owner and the editor recorded them in turn.
        var recorders = invoices.GroupBy(Recorder).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(new Dictionary<(string, string?), int>
        {
            [("demo-owner", "ana@demo.local")] = SeededEmulator.BusinessShare / 2,
            [("demo-editor", "bruno@demo.local")] = SeededEmulator.BusinessShare / 2,
        }, recorders);
        var recordedByEditor = await AllInvoicesAsync(viewer, "&created_by=demo-editor");
        Assert.Equal(invoices.Where(invoice => Text(invoice, "created_by") == "demo-editor").Select(Id).Order(), recordedByEditor.Select(Id).Order());

        // The owner revised a few the editor recorded; the editor archived a few.
        var revised = invoices.Where(invoice => Text(invoice, "created_by") == "demo-editor" && Text(invoice, "updated_by") == "demo-owner").ToList();
        Assert.NotEmpty(revised);
        Assert.All(revised, invoice => Assert.EndsWith(" (revisada)", Text(invoice, "description"), StringComparison.Ordinal));
        Assert.All(invoices.Where(invoice => invoice.GetProperty("archived_at").ValueKind != JsonValueKind.Null),
            invoice => Assert.Equal(("demo-editor", "bruno@demo.local"), (Text(invoice, "updated_by"), Text(invoice, "updated_by_email"))));

        using var history = await GetJsonAsync(emulator.Home.InvoicesUrl, $"/{Id(revised[0])}/history", viewer);
        var entries = history.RootElement.GetProperty("data").EnumerateArray()
            .Select(entry => (Operation: Text(entry, "operation"), Member: Text(entry, "member_id"), Email: Text(entry, "member_email"), Version: entry.GetProperty("version").GetInt32()))
            .ToList();
        Assert.Equal([("patch", "demo-owner", "ana@demo.local", 2), ("import", "demo-editor", "bruno@demo.local", 1)], entries);
        var change = Assert.Single(history.RootElement.GetProperty("data")[0].GetProperty("changes").EnumerateArray());
        Assert.Equal("description", Text(change, "field"));
        Assert.Equal(Text(change, "old") + " (revisada)", Text(change, "new"));
    }

    [Fact]
    public async Task The_viewers_writes_are_refused_with_403_and_nothing_is_written_while_the_editor_passes_the_role_check()
    {
        var viewer = emulator.Table.Token("demo-viewer");
        var editor = emulator.Table.Token("demo-editor");
        var invoice = new JsonObject
        {
            ["provider"] = "Papelería El Sol", ["amount"] = "1000.00", ["currency"] = "COP", ["date"] = "2026-01-15", ["category"] = "Office",
        };
        var someone = Id((await AllInvoicesAsync(viewer))[0]);

        using var create = await SendAsync(emulator.Home.InvoicesUrl, HttpMethod.Post, "/", viewer, invoice);
        using var import = await SendAsync(emulator.Home.InvoicesUrl, HttpMethod.Post, "/import", viewer, new JsonArray(invoice.DeepClone()));
        using var archive = await SendAsync(emulator.Home.InvoicesUrl, HttpMethod.Delete, $"/{someone}", viewer, ifMatch: "*");
        // The role is checked before the body: the editor's empty invoice gets as far as validation, and is refused there.
        using var editorsEmpty = await SendAsync(emulator.Home.InvoicesUrl, HttpMethod.Post, "/", editor, new JsonObject());

        foreach (var refused in new[] { create, import, archive })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Token));
            Assert.Equal("urn:invoice-api:problem:role-too-low", Text(problem.RootElement, "type"));
        }
        Assert.Equal(HttpStatusCode.UnprocessableEntity, editorsEmpty.StatusCode);
        Assert.Equal(SeededEmulator.BusinessShare, (await AllInvoicesAsync(viewer)).Count);
    }

    [Fact]
    public async Task The_seed_is_realistic_and_the_stats_rollups_match_the_invoices()
    {
        var token = emulator.Table.Token("demo-owner");
        var invoices = await AllInvoicesAsync(token);
        var today = CallerClock.Default(TimeProvider.System).Today;
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
    public async Task Some_business_invoices_came_in_as_DIAN_documents_with_their_taxes_notes_and_original_XML()
    {
        var token = emulator.Table.Token("demo-viewer");
        var invoices = await AllInvoicesAsync(token);
        bool IsNull(JsonElement invoice, string name) => invoice.GetProperty(name).ValueKind == JsonValueKind.Null;

        // The owner set the account's NIT, which every document is addressed to.
        using var account = await GetJsonAsync(emulator.Home.InvoicesUrl, "/account", token);
        Assert.Equal(DemoNit.Normalized(DemoDocument.BuyerNitBase), Text(account.RootElement, "nit"));

        var documents = invoices.Where(invoice => !IsNull(invoice, "document_sha256")).ToList();
        Assert.Equal(SeededEmulator.Documents, documents.Count);
        Assert.All(documents, document => Assert.Equal(96, Text(document, "cufe").Length));
        Assert.All(documents, document => Assert.NotEqual("uncategorized", Text(document, "category")));
        var credits = documents.Where(document => Text(document, "kind") == "credit_note").ToList();
        Assert.Equal(3, credits.Count);
        Assert.Single(documents, document => Text(document, "kind") == "debit_note");
        Assert.All(credits, note => Assert.StartsWith("-", Text(note, "amount"), StringComparison.Ordinal));
        // Each note names its invoice's CUFE and points at that invoice, which came in as a document before it.
        Assert.All(documents.Where(document => Text(document, "kind") != "invoice"), note =>
        {
            var invoice = Assert.Single(documents, document => Id(document) == Text(note, "refers_to"));
            Assert.Equal(Text(invoice, "cufe"), Text(note, "refers_to_cufe"));
            Assert.Equal(Text(invoice, "provider"), Text(note, "provider"));
        });
        Assert.Contains(documents, document => document.GetProperty("withholdings").GetArrayLength() > 0
            && decimal.Parse(Text(document, "payable"), CultureInfo.InvariantCulture) < decimal.Parse(Text(document, "amount"), CultureInfo.InvariantCulture));
        Assert.Contains(documents, document => Text(document, "status") == "paid");
        // Imported invoices carry their subtotal and tax too.
        Assert.Contains(invoices, invoice => IsNull(invoice, "document_sha256") && invoice.GetProperty("taxes").GetArrayLength() == 1 && !IsNull(invoice, "subtotal"));

        // The original XML is served byte for byte: its SHA-256 is the invoice's.
        foreach (var document in credits.Take(1).Concat(documents.Take(2)))
        {
            using var client = new HttpClient { BaseAddress = emulator.Home.InvoicesUrl };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/{Id(document)}/document.xml") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var response = await client.SendAsync(request, Token);
            var xml = await response.Content.ReadAsByteArrayAsync(Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Text(document, "document_sha256"), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(xml)));
            Assert.Contains("AttachedDocument", Encoding.UTF8.GetString(xml), StringComparison.Ordinal);
        }

        // The dashboard counts their taxes and withholdings.
        using var dashboard = await GetJsonAsync(emulator.Home.StatsUrl, "/dashboard", token);
        var cop = dashboard.RootElement.GetProperty("currencies").EnumerateArray().Single(currency => currency.GetProperty("currency").GetString() == "COP");
        Assert.True(decimal.Parse(cop.GetProperty("taxes").GetString()!, CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void Each_functions_log_lines_are_prefixed_with_its_name_and_readable()
    {
        var output = emulator.Process.Output;

        Assert.Contains(output, line => line.StartsWith("[invoices] INFO  Serving function Invoices.Function", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith("[stats]    INFO  Serving function Stats.Function", StringComparison.Ordinal));
        // Cloud Logging's JSON is rendered, not shown raw.
        Assert.DoesNotContain(output, line => line.Contains("\"severity\"", StringComparison.Ordinal));
        Assert.Contains(output, line => line.StartsWith($"seed: {SeededEmulator.Seeded} demo invoices in ", StringComparison.Ordinal)
            && line.Contains($"{SeededEmulator.Seeded - SeededEmulator.Documents} through POST /import and {SeededEmulator.Documents} as DIAN documents", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_verb_signs_for_the_member_it_is_given_with_the_running_emulators_key()
    {
        var owner = await TokenVerbAsync();
        var personal = await TokenVerbAsync("--user", "demo-user-2");
        var stranger = await TokenVerbAsync("--user", "someone-else");

        Assert.Equal(("demo-owner", "demo-business", "owner"),
            (Text(Claims(owner), "sub"), Text(Claims(owner), "account"), Text(Claims(owner), "account_role")));
        Assert.Equal(SeededEmulator.BusinessShare, (await AllInvoicesAsync(owner)).Count);
        Assert.Equal(SeededEmulator.PersonalShare, (await AllInvoicesAsync(personal)).Count);
        Assert.Empty(await AllInvoicesAsync(stranger));
    }

    [Fact]
    public async Task The_token_verb_account_and_role_choose_the_books_and_what_the_member_may_do_there()
    {
        var editor = await TokenVerbAsync("--user", "zoe", "--account", LocalCallers.BusinessAccount, "--role", "editor");
        var unroled = await TokenVerbAsync("--user", "zoe", "--account", LocalCallers.BusinessAccount);
        var personalViewer = await TokenVerbAsync("--user", "zoe", "--role", "viewer");

        Assert.Equal(SeededEmulator.BusinessShare, (await AllInvoicesAsync(editor)).Count);
        Assert.Equal(SeededEmulator.BusinessShare, (await AllInvoicesAsync(unroled)).Count);
        Assert.Empty(await AllInvoicesAsync(personalViewer));
        Assert.False(Claims(personalViewer).TryGetProperty("account", out _));
        // An empty invoice: the editor reaches validation (422); a named account without a role, and a viewer of a
        // personal account, are viewers (403). Nothing is written either way.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await StatusOfEmptyCreateAsync(editor));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfEmptyCreateAsync(unroled));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfEmptyCreateAsync(personalViewer));
        var refused = await EmulatorProcess.RunAsync(["token", "--role", "admin"], null, VerbLimit);
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("--role must be viewer, editor or owner, got 'admin'. usage: ", Assert.Single(refused.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_verb_admin_token_may_read_every_account_and_a_plain_one_may_not()
    {
        var admin = await TokenVerbAsync("--user", "ops", "--admin");
        var plain = await TokenVerbAsync("--user", "ops");

        using var all = await GetJsonAsync(emulator.Home.InvoicesUrl, "/?all_accounts=true&include=archived&limit=100", admin);
        using var refused = await SendAsync(emulator.Home.InvoicesUrl, HttpMethod.Get, "/?all_accounts=true", plain);

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

    private async Task<List<JsonElement>> AllInvoicesAsync(string token, string filter = "")
    {
        var invoices = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = "/?include=archived&limit=100" + filter + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var page = await GetJsonAsync(emulator.Home.InvoicesUrl, path, token);
            invoices.AddRange(page.RootElement.GetProperty("data").EnumerateArray().Select(invoice => invoice.Clone()));
            cursor = page.RootElement.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return invoices;
    }

    private static string Id(JsonElement invoice) => invoice.GetProperty("id").GetString()!;

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;

    private static (string Member, string? Email) Recorder(JsonElement invoice) =>
        (Text(invoice, "created_by"), invoice.GetProperty("created_by_email").GetString());

    private async Task<HttpStatusCode> StatusOfEmptyCreateAsync(string token)
    {
        using var response = await SendAsync(emulator.Home.InvoicesUrl, HttpMethod.Post, "/", token, new JsonObject());
        return response.StatusCode;
    }

    private async Task<JsonDocument> GetJsonAsync(Uri function, string path, string token)
    {
        using var response = await SendAsync(function, HttpMethod.Get, path, token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri function, HttpMethod method, string path, string token, JsonNode? body = null, string? ifMatch = null)
    {
        // Every answer is checked against the OpenAPI document of the function that gave it.
        using var client = ConformanceHandler.Client(emulator.Home.InvoicesUrl, emulator.Home.StatsUrl);
        client.BaseAddress = function;
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request, Token);
    }

    private static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
    }
}
