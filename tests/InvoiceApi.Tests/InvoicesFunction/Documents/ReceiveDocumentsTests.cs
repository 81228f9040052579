using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Invoices;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.InvoicesFunction.Documents;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>
/// POST /documents end to end (docs/documents.md): each kind of DIAN document becomes an invoice with its taxes, the same
/// CUFE never twice, another buyer's document refused, hostile uploads refused, and the original XML served back unchanged.
/// </summary>
public sealed class ReceiveDocumentsTests(PostgresServer server)
{
    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] body, string contentType = "application/xml")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/documents") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.SendAsync(request, Token);
    }

    [Fact]
    public async Task An_attached_document_becomes_an_invoice_with_its_taxes_and_its_original_xml_is_served_back_unchanged()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var document = DianXml.Invoice();
        var xml = document.ToAttachedDocument();

        using var response = await UploadAsync(app.A, xml);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = await JsonAsync(response);
        Assert.Equal(1, summary.GetProperty("created").GetInt32());
        var entry = Assert.Single(summary.GetProperty("documents").EnumerateArray());
        Assert.Equal("created", entry.GetProperty("status").GetString());
        var invoice = entry.GetProperty("invoice");
        var totals = document.WrittenTotals;
        Assert.Equal("invoice", invoice.GetProperty("kind").GetString());
        Assert.Equal(document.Number, invoice.GetProperty("number").GetString());
        Assert.Equal(document.WrittenCufe, invoice.GetProperty("cufe").GetString());
        Assert.Equal("2024-03-15", invoice.GetProperty("date").GetString());
        Assert.Equal("2024-04-14", invoice.GetProperty("due_date").GetString());
        Assert.Equal(DianXml.DefaultSupplier.Name, invoice.GetProperty("provider").GetString());
        Assert.Equal("900123456-8", invoice.GetProperty("nit").GetString());
        Assert.Equal("COP", invoice.GetProperty("currency").GetString());
        Assert.Equal("transfer", invoice.GetProperty("payment_method").GetString());
        Assert.Equal("uncategorized", invoice.GetProperty("category").GetString());
        Assert.Equal("pending", invoice.GetProperty("status").GetString());
        Assert.Equal(Money(totals.LineExtension), invoice.GetProperty("subtotal").GetString());
        Assert.Equal(Money(totals.Payable), invoice.GetProperty("amount").GetString());
        var taxes = invoice.GetProperty("taxes").EnumerateArray().ToList();
        Assert.Equal(document.WrittenTaxes.Count, taxes.Count);
        Assert.Equal(Money(document.WrittenTaxes.Sum(t => t.Amount)), Money(taxes.Sum(t => decimal.Parse(t.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture))));
        var withheld = document.WrittenWithholdings.Sum(w => w.Amount);
        Assert.True(withheld > 0, "The default document carries withholdings.");
        Assert.Equal(Money(totals.Payable - withheld), invoice.GetProperty("payable").GetString());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(xml));
        Assert.Equal(sha256, invoice.GetProperty("document_sha256").GetString());

        using var original = await app.A.GetAsync($"/{invoice.GetProperty("id").GetString()}/document.xml", Token);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("application/xml", original.Content.Headers.ContentType!.MediaType);
        Assert.Equal(xml, await original.Content.ReadAsByteArrayAsync(Token));
        using var foreign = await app.B.GetAsync($"/{invoice.GetProperty("id").GetString()}/document.xml", Token);
        await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        Assert.Equal(1, await CountAsync(app, "SELECT count(*) FROM invoice_documents"));
        Assert.Equal(1, await CountAsync(app, "SELECT count(*) FROM invoice_history WHERE operation = 'document'"));
    }

    [Fact]
    public async Task The_same_document_sent_again_answers_the_first_invoice_and_creates_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var xml = DianXml.Invoice().ToAttachedDocument();
        using var first = await UploadAsync(app.A, xml);
        var id = (await JsonAsync(first)).GetProperty("documents")[0].GetProperty("invoice").GetProperty("id").GetString();

        using var again = await UploadAsync(app.A, xml);
        using var twiceInOneZip = await UploadAsync(app.A, DianXml.Zip(("a.xml", xml), ("b.xml", DianXml.Invoice().ToXml())), "application/zip");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var summary = await JsonAsync(again);
        Assert.Equal(1, summary.GetProperty("existing").GetInt32());
        Assert.Equal("existing", summary.GetProperty("documents")[0].GetProperty("status").GetString());
        Assert.Equal(id, summary.GetProperty("documents")[0].GetProperty("invoice").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, twiceInOneZip.StatusCode);
        Assert.Equal(1, await InvoiceCountAsync(app));
        // A manual invoice with the same CUFE is a conflict naming the first.
        using var manual = await SendAsync(app.A, HttpMethod.Post, "/", Body(b => b["cufe"] = DianXml.Invoice().WrittenCufe.ToUpperInvariant()));
        var problem = await AssertProblemAsync(manual, HttpStatusCode.Conflict);
        Assert.Contains(id!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Another account records the same document for itself.
        using var other = await UploadAsync(app.B, xml);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task A_zip_with_an_invoice_its_credit_and_debit_notes_and_a_pdf_records_each_note_linked_and_signed()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var invoice = DianXml.Invoice();
        var credit = DianXml.CreditNote() with { ReferencedNumber = invoice.Number, ReferencedCufe = invoice.WrittenCufe };
        var debit = DianXml.DebitNote() with { ReferencedNumber = invoice.Number, ReferencedCufe = invoice.WrittenCufe };
        // The credit note comes first: it waits for its invoice and is linked when the invoice comes.
        var zip = DianXml.Zip(("nc.xml", credit.ToAttachedDocument()), ("fe.xml", invoice.ToAttachedDocument()),
            ("fe.pdf", DianXml.Pdf()), ("nd.xml", debit.ToXml()));

        using var response = await UploadAsync(app.A, zip, "application/zip");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = await JsonAsync(response);
        Assert.Equal(3, summary.GetProperty("created").GetInt32());
        Assert.Equal(1, summary.GetProperty("skipped_entries").GetInt32());
        var byFile = summary.GetProperty("documents").EnumerateArray().ToDictionary(d => d.GetProperty("file").GetString()!, d => d.GetProperty("invoice"));
        var invoiceId = byFile["fe.xml"].GetProperty("id").GetString();
        Assert.Equal("credit_note", byFile["nc.xml"].GetProperty("kind").GetString());
        Assert.Equal("-" + Money(credit.WrittenTotals.Payable), byFile["nc.xml"].GetProperty("amount").GetString());
        Assert.All(byFile["nc.xml"].GetProperty("taxes").EnumerateArray(), tax => Assert.StartsWith("-", tax.GetProperty("amount").GetString(), StringComparison.Ordinal));
        Assert.Equal("debit_note", byFile["nd.xml"].GetProperty("kind").GetString());
        Assert.Equal(Money(debit.WrittenTotals.Payable), byFile["nd.xml"].GetProperty("amount").GetString());
        Assert.Equal(invoiceId, byFile["nd.xml"].GetProperty("refers_to").GetString());
        using var note = await app.A.GetAsync($"/{byFile["nc.xml"].GetProperty("id").GetString()}", Token);
        var linked = await JsonAsync(note);
        Assert.Equal(invoiceId, linked.GetProperty("refers_to").GetString());
        Assert.Equal(2, linked.GetProperty("version").GetInt32());
        // Every figure sees the credit note subtract: the sum of amounts is invoice - credit + debit.
        Assert.Equal(1, await CountAsync(app, $"""
            SELECT count(*) FROM (SELECT sum(amount) AS s FROM invoices) t
            WHERE s = {Money(invoice.WrittenTotals.Payable - credit.WrittenTotals.Payable + debit.WrittenTotals.Payable)}
            """));
    }

    [Fact]
    public async Task A_new_suppliers_document_gets_the_category_its_last_invoice_had()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await CreateAsync(app.A, Body(b => { b["nit"] = "900123456-8"; b["category"] = "Consultoría"; b["date"] = "2024-01-10"; }));

        using var response = await UploadAsync(app.A, DianXml.Invoice().ToXml());

        Assert.Equal("Consultoría", (await JsonAsync(response)).GetProperty("documents")[0].GetProperty("invoice").GetProperty("category").GetString());
    }

    [Fact]
    public async Task Owners_set_the_accounts_nit_members_read_it_and_a_document_for_another_buyer_is_refused_naming_both()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var owner = app.ClientFor("owner-1", new Dictionary<string, object> { ["account"] = "acct_shop", ["account_role"] = "owner" });
        using var viewer = app.ClientFor("viewer-1", new Dictionary<string, object> { ["account"] = "acct_shop", ["account_role"] = "viewer" });
        using var editor = app.ClientFor("editor-1", new Dictionary<string, object> { ["account"] = "acct_shop", ["account_role"] = "editor" });

        using var empty = await viewer.GetAsync("/account", Token);
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(empty)).GetProperty("nit").ValueKind);
        using var wrongDigit = await SendAsync(owner, HttpMethod.Put, "/account", """{"legal_name":"Tienda","nit":"800197268-5"}""");
        Assert.Equal(["nit"], ErrorFields(await AssertProblemAsync(wrongDigit, HttpStatusCode.UnprocessableEntity)));
        using var byEditor = await SendAsync(editor, HttpMethod.Put, "/account", """{"legal_name":"Tienda","nit":"800197268"}""");
        await AssertProblemAsync(byEditor, HttpStatusCode.Forbidden);
        using var set = await SendAsync(owner, HttpMethod.Put, "/account", """{"legal_name":" Tienda La 14 ","nit":"800.197.268"}""");
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        using var read = await viewer.GetAsync("/account", Token);
        var account = await JsonAsync(read);
        Assert.Equal("800197268-4", account.GetProperty("nit").GetString());
        Assert.Equal("Tienda La 14", account.GetProperty("legal_name").GetString());

        using var foreign = await UploadAsync(editor, DianXml.Invoice().ToAttachedDocument());
        var problem = await AssertProblemAsync(foreign, HttpStatusCode.UnprocessableEntity);
        var reason = problem.GetProperty("errors").EnumerateObject().Single().Value[0].GetString()!;
        Assert.Contains("901210113", reason, StringComparison.Ordinal);
        Assert.Contains("800197268-4", reason, StringComparison.Ordinal);
        using var own = await UploadAsync(editor, (DianXml.Invoice() with { Buyer = new DianParty("Tienda La 14", "800197268", "4", "31") }).ToXml());
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(1, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task Hostile_and_broken_uploads_are_refused_with_a_problem_and_write_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&secret;</Invoice>
            """u8.ToArray();
        var bomb = DianXml.Zip(("bomb.xml", new byte[60 * 1024 * 1024]));
        var traversal = DianXml.Zip(("../evil.xml", DianXml.Invoice().ToXml()));

        foreach (var (body, type) in new[] { (xxe, "application/xml"), (bomb, "application/zip"), (traversal, "application/zip"), ("not xml"u8.ToArray(), "text/plain") })
        {
            using var response = await UploadAsync(app.A, body, type);
            var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }
        Assert.Equal(0, await InvoiceCountAsync(app));
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM invoice_documents"));
    }

    [Fact]
    public async Task A_zip_with_a_good_and_a_broken_document_records_the_good_one_and_answers_207()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var zip = DianXml.Zip(("good.xml", DianXml.Invoice().ToAttachedDocument()), ("broken.xml", "<Invoice>"u8.ToArray()));

        using var response = await UploadAsync(app.A, zip, "application/zip");

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var summary = await JsonAsync(response);
        Assert.Equal(1, summary.GetProperty("created").GetInt32());
        Assert.Equal(1, summary.GetProperty("refused").GetInt32());
        var refused = summary.GetProperty("documents").EnumerateArray().Single(d => d.GetProperty("status").GetString() == "refused");
        Assert.Equal("broken.xml", refused.GetProperty("file").GetString());
        Assert.True(refused.GetProperty("errors").EnumerateObject().Any());
        Assert.Equal(1, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_viewer_cannot_send_documents()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var viewer = app.ClientFor("viewer-2", new Dictionary<string, object> { ["account"] = "acct_v", ["account_role"] = "viewer" });

        using var response = await UploadAsync(viewer, DianXml.Invoice().ToXml());

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_documents_invoice_keeps_its_cufe_and_kind_but_its_category_and_status_change_like_any_other()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        using var upload = await UploadAsync(app.A, DianXml.Invoice().ToXml());
        var invoice = (await JsonAsync(upload)).GetProperty("documents")[0].GetProperty("invoice");
        var path = $"/{invoice.GetProperty("id").GetString()}";

        using var dropCufe = await SendAsync(app.A, HttpMethod.Patch, path, """{"cufe":null}""", "\"1\"", "application/merge-patch+json");
        using var recategorize = await SendAsync(app.A, HttpMethod.Patch, path, """{"category":"Consultoría","status":"paid"}""", "\"1\"", "application/merge-patch+json");

        Assert.Equal(["cufe"], ErrorFields(await AssertProblemAsync(dropCufe, HttpStatusCode.UnprocessableEntity)));
        Assert.Equal(HttpStatusCode.OK, recategorize.StatusCode);
        var changed = await JsonAsync(recategorize);
        Assert.Equal(invoice.GetProperty("cufe").GetString(), changed.GetProperty("cufe").GetString());
        Assert.Equal(invoice.GetProperty("payable").GetString(), changed.GetProperty("payable").GetString());
    }
}
