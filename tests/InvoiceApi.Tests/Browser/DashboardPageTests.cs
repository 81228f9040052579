using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.InvoicesFunction.Documents;
using InvoiceApi.Tests.OpenApi;

namespace InvoiceApi.Tests.Browser;

/// <summary>
/// The README's first command, seen through a browser: the emulator runs as its own process, headless Chromium opens
/// its dashboard page, and every figure the page shows is checked against what the functions answer directly. Two members
/// of one account give the page their tokens: the owner (a personal account) records and changes invoices, the viewer
/// switched to with the member picker sees the same invoices and their history, and no action it may not take. The owner
/// also uploads a supplier's ZIP of DIAN documents and opens what it made: a credit note, its taxes and its original XML.
/// </summary>
[Trait("Category", Category.Browser)]
public sealed class DashboardPageTests
{
    private const string Caller = "browser-test";
    private const string Viewer = "browser-viewer";
    private const string ViewerEmail = "vera@browser.test";
    // Bounded so a hang fails the run; generous because the emulator alone can take 40 s to start on a loaded 2-core
    // machine (its own start is bounded separately, by EmulatorRun).
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(330);

    [Fact]
    public async Task The_dashboard_shows_the_APIs_figures_creates_an_invoice_and_shows_validation_errors_over_CORS()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Limit);
        var token = limit.Token;
        var clock = Stopwatch.StartNew();

        await using var emulator = await EmulatorRun.StartAsync(token);
        var bearer = emulator.IssueToken(Caller);
        // A viewer of the owner's personal account, whose id is the owner's sub.
        var viewerBearer = emulator.IssueToken(Viewer, new Dictionary<string, object>
        {
            ["account"] = Caller, ["account_role"] = "viewer", ["email"] = ViewerEmail, ["email_verified"] = true,
        });
        using var api = new ApiClient(emulator, bearer);
        using var viewerApi = new ApiClient(emulator, viewerBearer);
        var today = CallerClock.Default(TimeProvider.System).Today;
        await api.ImportAsync(DemoInvoices.For(today), token);
        Log($"emulator up and seeded in {clock.Elapsed.TotalSeconds:0.0} s");

        await using var browser = await HeadlessChromium.StartAsync(token);
        await browser.NavigateAsync(new Uri(emulator.DashboardUrl, $"#token={bearer}&token={viewerBearer}"), token);
        await browser.WaitUntilAsync("document.body.dataset.ready === 'true'", "the page to load its figures", token);

        // The tokens left the address bar and live in the tab's sessionStorage only; the first one is in use.
        Assert.Equal("", (await browser.EvaluateAsync("location.hash", token))!.GetValue<string>());
        Assert.Equal(bearer, (await browser.EvaluateAsync("sessionStorage.getItem('invoice-api-token')", token))!.GetValue<string>());
        Assert.Equal(new JsonArray(bearer, viewerBearer).ToJsonString(), (await browser.EvaluateAsync("sessionStorage.getItem('invoice-api-tokens')", token))!.GetValue<string>());
        Assert.Equal(["browser-test · owner of own account", $"{ViewerEmail} · viewer of {Caller}"], await TextsAsync(browser, "#member-pick option", token));

        var dashboard = await api.GetAsync(emulator.StatsUrl, "/dashboard?top=8", token);
        await AssertCardsMatchAsync(browser, dashboard, token);
        await AssertCurrencyViewsMatchAsync(browser, api, emulator, dashboard, token);
        await AssertListPagesAndFiltersMatchAsync(browser, api, emulator, token);

        var validationMessage = await AssertValidationErrorShownAsync(browser, api, emulator, today, token);
        Assert.Equal(dashboard.ToJsonString(), (await api.GetAsync(emulator.StatsUrl, "/dashboard?top=8", token)).ToJsonString());
        await SaveScreenshotAsync(browser, "dashboard-validation.png", token);

        var created = await AssertCreatedInvoiceShownAsync(browser, api, emulator, dashboard, token);
        await SaveScreenshotAsync(browser, "dashboard.png", token);
        var history = await AssertDetailShowsWhoAndHistoryAndChangesAsync(browser, api, emulator, created.Id, token);
        await SaveScreenshotAsync(browser, "dashboard-detail.png", token);
        var documents = await AssertDocumentsUploadedAndShownAsync(browser, api, emulator, token);
        await SaveScreenshotAsync(browser, "dashboard-documents.png", token);
        await AssertViewerSeesTheInvoicesButNoWriteActionAsync(browser, viewerApi, emulator, created.Id, token);
        await SaveScreenshotAsync(browser, "dashboard-viewer.png", token);
        await AssertDarkSchemeFollowedAsync(browser, token);
        await SaveScreenshotAsync(browser, "dashboard-dark.png", token);

        await AssertDocsMatchAsync(browser, api, emulator, "invoices", emulator.InvoicesUrl, token);
        await AssertDocsMatchAsync(browser, api, emulator, "stats", emulator.StatsUrl, token);
        await SaveScreenshotAsync(browser, "docs-stats.png", token);

        AssertNoRequestFailedAndNothingLeftTheMachine(browser, emulator);
        Log($"checked: cards, trend, breakdowns, suppliers, list pages and filter, NIT error '{validationMessage}', created {created.Summary}, " +
            $"history {history}, documents {documents}, the viewer's page, docs; {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task AssertCardsMatchAsync(HeadlessChromium browser, JsonNode dashboard, CancellationToken token)
    {
        var cards = (await browser.EvaluateAsync("""
            [...document.querySelectorAll('#cards .card')].map((card) => ({ currency: card.dataset.currency,
              figures: Object.fromEntries([...card.querySelectorAll('[data-figure]')].map((node) =>
                [node.dataset.figure, { value: node.dataset.value, text: node.firstChild.textContent }])) }))
            """, token))!.AsArray();
        var currencies = dashboard["currencies"]!.AsArray();
        Assert.Equal(currencies.Select(entry => entry!["currency"]!.GetValue<string>()), cards.Select(card => card!["currency"]!.GetValue<string>()));
        Assert.True(currencies.Count >= 2, "the seed has two currencies");
        foreach (var (figures, card) in currencies.Zip(cards))
        {
            var shown = card!["figures"]!;
            AssertShown(shown["count"]!, figures!["count"]!.ToString());
            AssertShown(shown["total"]!, figures["total"]!.GetValue<string>());
            AssertShown(shown["average"]!, figures["average"]!.GetValue<string>());
            AssertShown(shown["pending"]!, figures["pending"]!["total"]!.GetValue<string>());
            AssertShown(shown["pending-count"]!, figures["pending"]!["count"]!.ToString());
            AssertShown(shown["overdue"]!, figures["overdue"]!["total"]!.GetValue<string>());
            AssertShown(shown["overdue-count"]!, figures["overdue"]!["count"]!.ToString());
            var change = figures["change_percent"];
            Assert.Equal(change is null ? "null" : change.GetValue<double>().ToString(CultureInfo.InvariantCulture), shown["change"]!["value"]!.GetValue<string>());
        }
        Assert.Contains(currencies, entry => entry!["overdue"]!["count"]!.GetValue<int>() > 0);
    }

    // The raw value is the API's, and the formatted text shows the same digits (Intl adds only symbols and separators).
    private static void AssertShown(JsonNode shown, string apiValue)
    {
        Assert.Equal(apiValue, shown["value"]!.GetValue<string>());
        Assert.Equal(Digits(apiValue), Digits(shown["text"]!.GetValue<string>()));
    }

    private static async Task AssertCurrencyViewsMatchAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, JsonNode dashboard, CancellationToken token)
    {
        var currency = (await browser.EvaluateAsync("document.getElementById('currency-pick').value", token))!.GetValue<string>();
        var figures = dashboard["currencies"]!.AsArray().Single(entry => entry!["currency"]!.GetValue<string>() == currency)!;
        var trend = await api.GetAsync(emulator.StatsUrl, "/trend?months=12", token);
        var series = trend["currencies"]!.AsArray().Single(entry => entry!["currency"]!.GetValue<string>() == currency)!["series"]!.AsArray();

        var bars = (await browser.EvaluateAsync("[...document.querySelectorAll('#trend [data-month]')].map((bar) => bar.dataset.month + ' ' + bar.querySelector('title').textContent)", token))!.AsArray();
        Assert.Equal(series.Select(point => point!["month"]!.GetValue<string>()), bars.Select(bar => bar!.GetValue<string>()[..7]));
        foreach (var (point, bar) in series.Zip(bars))
        {
            Assert.Contains(Digits(point!["total"]!.GetValue<string>()), Digits(bar!.GetValue<string>()[8..]), StringComparison.Ordinal);
        }

        Assert.Equal(Rows(figures["by_category"]!, "category"), await ShownRowsAsync(browser, "#by-category li", token));
        Assert.Equal(Rows(figures["by_status"]!, "status"), await ShownRowsAsync(browser, "#by-status li", token));
        var suppliers = (await browser.EvaluateAsync("[...document.querySelectorAll('#top-suppliers tr[data-provider]')].map((row) => row.dataset.provider)", token))!.AsArray();
        Assert.Equal(figures["top_providers"]!.AsArray().Select(provider => provider!["provider"]!.GetValue<string>()), suppliers.Select(name => name!.GetValue<string>()));
        // Each supplier's NIT stays on one line: the column is narrow, and a NIT broken at its hyphen reads as two numbers.
        var brokenNits = (await browser.EvaluateAsync("[...document.querySelectorAll('#top-suppliers .nit')].filter((nit) => nit.getClientRects().length !== 1).map((nit) => nit.textContent)", token))!.AsArray();
        Assert.Empty(brokenNits);
        Assert.NotEqual(0, (await browser.EvaluateAsync("document.querySelectorAll('#top-suppliers .nit').length", token))!.GetValue<int>());
    }

    private static string[] Rows(JsonNode breakdown, string key) =>
        [.. breakdown.AsArray().Select(row => $"{row![key]} {row["count"]} {row["total"]}").Order(StringComparer.Ordinal)];

    private static async Task<string[]> ShownRowsAsync(HeadlessChromium browser, string selector, CancellationToken token) =>
        [.. (await browser.EvaluateAsync($"[...document.querySelectorAll('{selector}')].map((row) => `${{row.dataset.key}} ${{row.dataset.count}} ${{row.dataset.total}}`)", token))!
            .AsArray().Select(row => row!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static async Task AssertListPagesAndFiltersMatchAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, CancellationToken token)
    {
        var first = await api.GetAsync(emulator.InvoicesUrl, "/?limit=10", token);
        Assert.Equal(Ids(first), await ShownIdsAsync(browser, token));
        // Each row says who recorded it: the token's sub, as the token carries no verified email.
        Assert.All(first["data"]!.AsArray(), invoice => Assert.Equal(Caller, invoice!["created_by"]!.GetValue<string>()));
        Assert.All(await TextsAsync(browser, "#invoice-rows td.who", token), who => Assert.Equal(Caller, who));

        var second = await api.GetAsync(emulator.InvoicesUrl, "/?limit=10&cursor=" + Uri.EscapeDataString(first["next_cursor"]!.GetValue<string>()), token);
        await browser.ClickAsync("#page-next", token);
        await browser.WaitUntilAsync("document.getElementById('page-label').textContent === 'Page 2'", "page 2", token);
        Assert.Equal(Ids(second), await ShownIdsAsync(browser, token));
        await browser.ClickAsync("#page-prev", token);
        await browser.WaitUntilAsync("document.getElementById('page-label').textContent === 'Page 1'", "page 1 again", token);
        Assert.Equal(Ids(first), await ShownIdsAsync(browser, token));

        var paid = await api.GetAsync(emulator.InvoicesUrl, "/?status=paid&currency=COP&limit=10", token);
        await browser.SetValueAsync("#filters select[name=status]", "paid", token);
        await browser.TypeAsync("#filters input[name=currency]", "cop", token);
        await browser.ClickAsync("#filters button[type=submit]", token);
        await browser.WaitUntilAsync("[...document.querySelectorAll('#invoice-rows tr[data-id]')].every((row) => row.dataset.status === 'paid')", "the paid filter", token);
        Assert.Equal(Ids(paid), await ShownIdsAsync(browser, token));
        Assert.NotEqual(Ids(first), Ids(paid));

        await browser.ClickAsync("#filters button[type=reset]", token);
        await browser.WaitUntilAsync($"document.querySelector('#invoice-rows tr[data-id]')?.dataset.id === '{Ids(first)[0]}' && document.querySelectorAll('#invoice-rows tr[data-id]').length === 10", "the cleared filter", token);
    }

    private static async Task<string> TextAsync(HeadlessChromium browser, string selector, CancellationToken token) =>
        await TextOfAsync(browser, $"document.querySelector({JsonSerializer.Serialize(selector)}).textContent", token);

    private static async Task<string> TextOfAsync(HeadlessChromium browser, string expression, CancellationToken token) =>
        (await browser.EvaluateAsync(expression, token))!.GetValue<string>();

    private static async Task<string[]> TextsAsync(HeadlessChromium browser, string selector, CancellationToken token) =>
        [.. (await browser.EvaluateAsync($"[...document.querySelectorAll({JsonSerializer.Serialize(selector)})].map((node) => node.textContent)", token))!
            .AsArray().Select(text => text!.GetValue<string>())];

    private static async Task<string[]> AttributesAsync(HeadlessChromium browser, string selector, string name, CancellationToken token) =>
        [.. (await browser.EvaluateAsync($"[...document.querySelectorAll({JsonSerializer.Serialize(selector)})].map((node) => node.dataset.{name})", token))!
            .AsArray().Select(value => value!.GetValue<string>())];

    private static string[] Ids(JsonNode page) => [.. page["data"]!.AsArray().Select(invoice => invoice!["id"]!.GetValue<string>())];

    private static async Task<string[]> ShownIdsAsync(HeadlessChromium browser, CancellationToken token) =>
        [.. (await browser.EvaluateAsync("[...document.querySelectorAll('#invoice-rows tr[data-id]')].map((row) => row.dataset.id)", token))!
            .AsArray().Select(id => id!.GetValue<string>())];

    // A NIT whose check digit is wrong: the API's own message appears under the NIT field, and nothing is written.
    private static async Task<string> AssertValidationErrorShownAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, DateOnly today, CancellationToken token)
    {
        var yesterday = DemoInvoices.Iso(today.AddDays(-1));
        await browser.TypeAsync("#f-provider", "Ferretería La Llave", token);
        await browser.TypeAsync("#f-nit", "900123456-1", token);
        await browser.TypeAsync("#f-amount", "1234567.89", token);
        await browser.TypeAsync("#f-category", "Maintenance", token);
        // Yesterday in UTC is inside Stats' period in any time zone, including America/Bogota's default.
        await browser.SetValueAsync("#f-date", yesterday, token);
        await browser.ClickAsync("#create-submit", token);
        await browser.WaitUntilAsync("document.getElementById('e-nit').textContent !== ''", "the NIT error", token);

        var (status, problem) = await api.PostAsync(emulator.InvoicesUrl, new JsonObject
        {
            ["provider"] = "Ferretería La Llave", ["nit"] = "900123456-1", ["amount"] = "1234567.89", ["currency"] = "COP",
            ["date"] = yesterday, ["category"] = "Maintenance", ["status"] = "pending",
        }, token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var expected = string.Join(' ', problem["errors"]!["nit"]!.AsArray().Select(message => message!.GetValue<string>()));
        Assert.Equal(expected, (await browser.EvaluateAsync("document.getElementById('e-nit').textContent", token))!.GetValue<string>());
        Assert.Equal("true", (await browser.EvaluateAsync("document.getElementById('f-nit').getAttribute('aria-invalid')", token))!.GetValue<string>());
        Assert.Equal("e-nit", (await browser.EvaluateAsync("document.activeElement.getAttribute('aria-describedby').split(' ').at(-1)", token))!.GetValue<string>());
        var otherErrors = (await browser.EvaluateAsync("[...document.querySelectorAll('[data-error-for]')].filter((node) => node.textContent !== '' && node.id !== 'e-nit').length", token))!;
        Assert.Equal(0, otherErrors.GetValue<int>());
        return expected;
    }

    // The corrected NIT goes through: the invoice appears in the list, and the totals grow by its amount.
    private static async Task<(string Id, string Summary)> AssertCreatedInvoiceShownAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, JsonNode before, CancellationToken token)
    {
        var versionBefore = (await browser.EvaluateAsync("document.body.dataset.figuresVersion", token))!.GetValue<string>();
        await browser.TypeAsync("#f-nit", "900123456", token);
        await browser.ClickAsync("#create-submit", token);
        await browser.WaitUntilAsync("document.getElementById('create-result').textContent.startsWith('Created')", "the created message", token);
        await browser.WaitUntilAsync($"document.body.dataset.figuresVersion !== '{versionBefore}'", "the figures to refresh", token);
        await browser.WaitUntilAsync("[...document.querySelectorAll('#invoice-rows tr[data-id]')].some((row) => row.textContent.includes('Ferretería La Llave'))", "the new invoice in the list", token);

        var list = await api.GetAsync(emulator.InvoicesUrl, "/?limit=10", token);
        var newest = list["data"]![0]!;
        Assert.Equal("Ferretería La Llave", newest["provider"]!.GetValue<string>());
        Assert.Equal("900123456-8", newest["nit"]!.GetValue<string>());
        Assert.Equal("1234567.89", newest["amount"]!.GetValue<string>());
        Assert.Equal(Ids(list), await ShownIdsAsync(browser, token));
        Assert.Contains("NIT 900123456-8", (await browser.EvaluateAsync($"document.querySelector('tr[data-id=\"{newest["id"]}\"]').textContent", token))!.GetValue<string>(), StringComparison.Ordinal);

        var after = await api.GetAsync(emulator.StatsUrl, "/dashboard?top=8", token);
        var copBefore = Currency(before, "COP");
        var copAfter = Currency(after, "COP");
        Assert.Equal(copBefore["count"]!.GetValue<int>() + 1, copAfter["count"]!.GetValue<int>());
        Assert.Equal(Money(copBefore["total"]!) + 1234567.89m, Money(copAfter["total"]!));
        await AssertCardsMatchAsync(browser, after, token);
        return (newest["id"]!.GetValue<string>(), $"{newest["id"]} (COP total {copBefore["total"]} -> {copAfter["total"]})");
    }

    // The created invoice in full: who recorded and last changed it, and its history; marking it paid, archiving and
    // restoring it each add an entry the page shows as the API has it, newest first.
    private static async Task<string> AssertDetailShowsWhoAndHistoryAndChangesAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, string id, CancellationToken token)
    {
        await browser.ClickAsync($"#invoice-rows [data-open=\"{id}\"]", token);
        await AssertHistoryShownAsync(browser, api, emulator, id, ["create"], token);
        Assert.StartsWith(Caller, await TextAsync(browser, "#detail-fields [data-field=created_by]", token), StringComparison.Ordinal);
        Assert.StartsWith(Caller, await TextAsync(browser, "#detail-fields [data-field=updated_by]", token), StringComparison.Ordinal);
        Assert.Equal(["paid", "archive"], await AttributesAsync(browser, "#detail-actions button", "action", token));

        await browser.ClickAsync("#detail-actions [data-action=paid]", token);
        var afterPatch = await AssertHistoryShownAsync(browser, api, emulator, id, ["patch", "create"], token);
        var patched = afterPatch["data"]![0]!["changes"]!.AsArray().Select(change => change!["field"]!.GetValue<string>());
        Assert.Equal(patched, await AttributesAsync(browser, "#detail-history > li:first-child [data-field]", "field", token));
        Assert.Contains("status", patched);
        Assert.StartsWith("paid", await TextAsync(browser, "#detail-fields [data-field=status]", token), StringComparison.Ordinal);

        await browser.ClickAsync("#detail-actions [data-action=archive]", token);
        await AssertHistoryShownAsync(browser, api, emulator, id, ["archive", "patch", "create"], token);
        await browser.WaitUntilAsync($"!document.querySelector('#invoice-rows tr[data-id=\"{id}\"]')", "the archived invoice to leave the list", token);
        Assert.Equal(["restore"], await AttributesAsync(browser, "#detail-actions button", "action", token));

        await browser.ClickAsync("#detail-actions [data-action=restore]", token);
        await AssertHistoryShownAsync(browser, api, emulator, id, ["restore", "archive", "patch", "create"], token);
        await browser.WaitUntilAsync($"!!document.querySelector('#invoice-rows tr[data-id=\"{id}\"] .who .muted')", "the restored invoice back in the list, changed", token);
        Assert.Equal($"changed by {Caller}", await TextAsync(browser, $"#invoice-rows tr[data-id=\"{id}\"] .who .muted", token));
        return "create, patch, archive, restore";
    }

    // A supplier's ZIP (an AttachedDocument invoice, the credit note correcting it, a document whose CUFE is broken and a
    // PDF) chosen in the file input and sent: each document's outcome as the function answered it, then the credit note
    // in full, with its taxes, withholdings, payable and the invoice it corrects, and its original XML downloaded with
    // the page's token and checked against the SHA-256 the invoice records.
    private static async Task<string> AssertDocumentsUploadedAndShownAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, CancellationToken token)
    {
        var broken = DianXml.Invoice() with { Number = "SETP990000009", Cufe = "0123abc" };
        var zip = DianXml.Zip(
            ("fe-1.xml", DianXml.Invoice().ToAttachedDocument()),
            ("nc-1.xml", DianXml.CreditNote().ToXml()),
            ("fe-9.xml", broken.ToXml()),
            ("fe-1.pdf", DianXml.Pdf()));
        await browser.EvaluateAsync($$"""
            (() => { const bytes = Uint8Array.from(atob('{{Convert.ToBase64String(zip)}}'), (c) => c.charCodeAt(0));
              const files = new DataTransfer(); files.items.add(new File([bytes], 'facturas.zip', { type: 'application/zip' }));
              const input = document.getElementById('upload-file'); input.files = files.files;
              input.dispatchEvent(new Event('change', { bubbles: true })); })()
            """, token);
        await browser.ClickAsync("#upload-submit", token);
        await browser.WaitUntilAsync("document.getElementById('upload-form').dataset.outcome === 'partly-refused'", "the documents' outcomes", token);

        Assert.Equal(["created", "created", "refused"], await AttributesAsync(browser, "#upload-results > li", "status", token));
        Assert.Equal(["fe-1.xml", "nc-1.xml", "fe-9.xml"], await AttributesAsync(browser, "#upload-results > li", "file", token));
        Assert.Equal("2 created, 0 already recorded, 1 refused; 1 other file (PDF …) skipped.", await TextAsync(browser, "#upload-summary", token));
        Assert.Contains("cbc:UUID", await TextAsync(browser, "#upload-results > li[data-status=refused] .reasons", token), StringComparison.Ordinal);
        var noteId = (await browser.EvaluateAsync("document.querySelector('#upload-results > li[data-file=\"nc-1.xml\"]').dataset.invoice", token))!.GetValue<string>();
        var note = await api.GetAsync(emulator.InvoicesUrl, $"/{noteId}", token);
        Assert.Equal("credit_note", note["kind"]!.GetValue<string>());

        await browser.ClickAsync($"#upload-results [data-open=\"{noteId}\"]", token);
        await browser.WaitUntilAsync($"document.getElementById('invoice-detail').dataset.id === '{noteId}' && !!document.querySelector('#detail-fields [data-field=kind]')", "the credit note in full", token);
        Assert.Equal("credit note", await TextAsync(browser, "#detail-fields [data-field=kind]", token));
        Assert.Equal(note["taxes"]!.AsArray().Select(tax => tax!["amount"]!.GetValue<string>()), await AttributesAsync(browser, "#detail-fields [data-field=taxes] tbody tr", "amount", token));
        Assert.Equal(note["withholdings"]!.AsArray().Select(tax => tax!["amount"]!.GetValue<string>()), await AttributesAsync(browser, "#detail-fields [data-field=withholdings] tbody tr", "amount", token));
        Assert.StartsWith("-", note["payable"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Digits(note["payable"]!.GetValue<string>()), Digits(await TextOfAsync(browser, "document.querySelector('#detail-fields [data-field=payable]').firstChild.textContent", token)));
        Assert.Equal(note["cufe"]!.GetValue<string>(), await TextAsync(browser, "#detail-fields [data-field=cufe]", token));
        Assert.Equal(note["refers_to"]!.GetValue<string>(), await TextOfAsync(browser, "document.querySelector('#detail-fields [data-field=refers_to] [data-open]').dataset.open", token));

        // The download stays in the page: the browser is told to discard the file, the page still fetched and checked it.
        await browser.SendAsync("Page.setDownloadBehavior", new JsonObject { ["behavior"] = "deny" }, token);
        await browser.ClickAsync("#detail-fields [data-download]", token);
        await browser.WaitUntilAsync("!!document.querySelector('#detail-fields .download-result').dataset.sha256", "the original XML", token);
        Assert.Equal(note["document_sha256"]!.GetValue<string>(), await TextOfAsync(browser, "document.querySelector('#detail-fields .download-result').dataset.sha256", token));
        Assert.Equal("true", await TextOfAsync(browser, "document.querySelector('#detail-fields .download-result').dataset.verified", token));

        // The credit note's "Corrects" opens the invoice it corrects.
        await browser.ClickAsync("#detail-fields [data-field=refers_to] [data-open]", token);
        await browser.WaitUntilAsync($"document.getElementById('invoice-detail').dataset.id === '{note["refers_to"]}'", "the corrected invoice", token);
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#detail-fields [data-field=kind]').length", token))!.GetValue<int>());
        return $"2 created and 1 refused from a ZIP, credit note {noteId} shown with its original XML";
    }

    // Waits until the open invoice's history lists <paramref name="operations"/>, then checks it against GET /{id}/history.
    private static async Task<JsonNode> AssertHistoryShownAsync(
        HeadlessChromium browser, ApiClient api, EmulatorRun emulator, string id, string[] operations, CancellationToken token)
    {
        var expected = JsonSerializer.Serialize(operations);
        await browser.WaitUntilAsync(
            $"!document.getElementById('invoice-detail').hidden && document.getElementById('invoice-detail').dataset.id === '{id}' && "
            + $"JSON.stringify([...document.querySelectorAll('#detail-history > li')].map((entry) => entry.dataset.operation)) === {JsonSerializer.Serialize(expected)}",
            $"the history {expected}", token);
        var history = await api.GetAsync(emulator.InvoicesUrl, $"/{id}/history", token);
        var entries = history["data"]!.AsArray();
        Assert.Equal(operations, entries.Select(entry => entry!["operation"]!.GetValue<string>()));
        Assert.Equal(entries.Select(entry => entry!["version"]!.ToString()), await AttributesAsync(browser, "#detail-history > li", "version", token));
        Assert.Equal(entries.Select(entry => entry!["member_id"]!.GetValue<string>()), await AttributesAsync(browser, "#detail-history > li", "member", token));
        return history;
    }

    // The viewer, picked from the member list, reads the same account: the same invoices, the history, but no create
    // form and no buttons that change an invoice; the functions refuse its writes anyway (403), which is why.
    private static async Task AssertViewerSeesTheInvoicesButNoWriteActionAsync(HeadlessChromium browser, ApiClient viewerApi, EmulatorRun emulator, string id, CancellationToken token)
    {
        await browser.SetValueAsync("#member-pick", "1", token);
        await browser.WaitUntilAsync($"document.body.dataset.ready === 'true' && document.body.dataset.member === '{Viewer}'", "the viewer's page", token);

        Assert.Equal(Viewer, await TextOfAsync(browser, "document.body.dataset.member", token));
        Assert.Equal("viewer", await TextOfAsync(browser, "document.body.dataset.role", token));
        Assert.True((await browser.EvaluateAsync("document.getElementById('create-panel').hidden && !document.getElementById('read-only').hidden", token))!.GetValue<bool>());
        Assert.Equal(Ids(await viewerApi.GetAsync(emulator.InvoicesUrl, "/?limit=10", token)), await ShownIdsAsync(browser, token));

        await browser.ClickAsync($"#invoice-rows [data-open=\"{id}\"]", token);
        await AssertHistoryShownAsync(browser, viewerApi, emulator, id, ["restore", "archive", "patch", "create"], token);
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#detail-actions button').length", token))!.GetValue<int>());

        var (status, problem) = await viewerApi.PostAsync(emulator.InvoicesUrl, new JsonObject
        {
            ["provider"] = "Ferretería La Llave", ["amount"] = "1.00", ["currency"] = "COP", ["date"] = DemoInvoices.Iso(CallerClock.Default(TimeProvider.System).Today),
            ["category"] = "Maintenance",
        }, token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("urn:invoice-api:problem:role-too-low", problem["type"]!.GetValue<string>());
    }

    // With the system in dark mode the page turns dark by itself (the theme toggle starts on auto).
    private static async Task AssertDarkSchemeFollowedAsync(HeadlessChromium browser, CancellationToken token)
    {
        const string Background = "getComputedStyle(document.body).backgroundColor";
        var light = (await browser.EvaluateAsync(Background, token))!.GetValue<string>();
        await browser.SendAsync("Emulation.setEmulatedMedia", new JsonObject
        {
            ["features"] = new JsonArray(new JsonObject { ["name"] = "prefers-color-scheme", ["value"] = "dark" }),
        }, token);
        var dark = (await browser.EvaluateAsync(Background, token))!.GetValue<string>();
        Assert.True(Brightness(light) > 200 && Brightness(dark) < 60, $"light background {light}, dark background {dark}");
    }

    private static double Brightness(string rgb) =>
        rgb.Split('(', ')')[1].Split(',').Take(3).Select(part => double.Parse(part, CultureInfo.InvariantCulture)).Average();

    private static JsonNode Currency(JsonNode dashboard, string code) =>
        dashboard["currencies"]!.AsArray().Single(entry => entry!["currency"]!.GetValue<string>() == code)!;

    private static decimal Money(JsonNode value) => decimal.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture);

    private static async Task AssertDocsMatchAsync(HeadlessChromium browser, ApiClient api, EmulatorRun emulator, string service, Uri functionUrl, CancellationToken token)
    {
        var document = await api.GetAsync(functionUrl, "/openapi.json", token);
        string[] methods = ["get", "post", "put", "patch", "delete"];
        var expected = document["paths"]!.AsObject().SelectMany(path =>
            methods.Where(method => path.Value![method] is not null).Select(method => $"{method.ToUpperInvariant()} {path.Key}")).ToArray();

        await browser.NavigateAsync(new Uri(emulator.DashboardUrl, $"docs.html?fn={service}"), token);
        await browser.WaitUntilAsync($"document.body.dataset.ready === 'true' && document.title.startsWith({JsonSerializer.Serialize(document["info"]!["title"]!.GetValue<string>())})", $"the {service} docs", token);
        var shown = (await browser.EvaluateAsync("[...document.querySelectorAll('[data-operation]')].map((node) => node.dataset.operation)", token))!.AsArray();
        Assert.Equal(expected, shown.Select(operation => operation!.GetValue<string>()));
        var schemas = (await browser.EvaluateAsync("[...document.querySelectorAll('.schema')].map((node) => node.id)", token))!.AsArray();
        Assert.Equal(document["components"]!["schemas"]!.AsObject().Select(schema => "schema-" + schema.Key), schemas.Select(id => id!.GetValue<string>()));
        Assert.Equal(0, (await browser.EvaluateAsync("document.body.textContent.includes('[object ')", token))!.GetValue<bool>() ? 1 : 0);
    }

    // Every request went to the page's own origin or a function, and got an answer: none was blocked by CORS.
    private static void AssertNoRequestFailedAndNothingLeftTheMachine(HeadlessChromium browser, EmulatorRun emulator)
    {
        string[] origins = [Origin(emulator.DashboardUrl), Origin(emulator.InvoicesUrl), Origin(emulator.StatsUrl)];
        var requests = browser.Requests.Values.Where(request => !request.Url.StartsWith("about:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.All(requests, request => Assert.Contains(Origin(new Uri(request.Url)), origins));
        Assert.All(requests, request => Assert.True(request.Failure is null, $"{request.Method} {request.Url} failed: {request.Failure}"));
        Assert.All(requests, request => Assert.True(request.Status is not null, $"{request.Method} {request.Url} got no response"));
        Assert.Contains(requests, request => request.Url.StartsWith(origins[1], StringComparison.Ordinal) && request.Method == "POST" && request.Status == 201);
        Assert.Contains(requests, request => request.Url.StartsWith(origins[2] + "/dashboard", StringComparison.Ordinal) && request.Status == 200);
        // The refused create is the only expected error line: Chromium logs every 4xx response it fetched.
        var errors = browser.ConsoleErrors.Where(error => !error.Contains("status of 422", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "console errors:\n" + string.Join('\n', errors));
    }

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    private static async Task SaveScreenshotAsync(HeadlessChromium browser, string name, CancellationToken token)
    {
        await browser.EvaluateAsync("window.scrollTo(0, 0)", token);
        var folder = Directory.CreateDirectory(Path.Join(AppContext.BaseDirectory, "browser-screenshots")).FullName;
        var path = Path.Join(folder, name);
        await File.WriteAllBytesAsync(path, await browser.ScreenshotAsync(token), token);
        Log($"screenshot: {path}");
    }

    private static void Log(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    /// <summary>The functions called directly with the same token, for the answers the page must show.</summary>
    private sealed class ApiClient(EmulatorRun emulator, string bearer) : IDisposable
    {
        private readonly HttpClient _client = Authorized(ConformanceHandler.Client(emulator.InvoicesUrl, emulator.StatsUrl), bearer);

        private static HttpClient Authorized(HttpClient client, string bearer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return client;
        }

        public async Task ImportAsync(JsonArray rows, CancellationToken token)
        {
            using var content = new StringContent(rows.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _client.PostAsync(new Uri(emulator.InvoicesUrl, "/import"), content, token);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(token));
        }

        public async Task<JsonNode> GetAsync(Uri function, string pathAndQuery, CancellationToken token)
        {
            using var response = await _client.GetAsync(new Uri(function, pathAndQuery), token);
            var body = await response.Content.ReadAsStringAsync(token);
            Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
            return JsonNode.Parse(body)!;
        }

        public async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(Uri function, JsonObject body, CancellationToken token)
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _client.PostAsync(function, content, token);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(token))!);
        }

        public void Dispose() => _client.Dispose();
    }
}
