using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>
/// Taxes on every invoice (docs/api.md, "Taxes"): the parts add up to the whole to the cent, each tax is its base × rate,
/// payable is amount − withholdings, a credit note is negative; and they survive PUT, PATCH, CSV export and import.
/// </summary>
public sealed class InvoiceTaxesTests(PostgresServer server)
{
    // 1,000,000 + IVA 19 % 190,000 - discount 10,000 = 1,180,000; ReteRenta 2.5 % 25,000 and ReteICA 0.966 % 9,660.
    internal static string Taxed(Action<JsonObject>? change = null) => Body(b =>
    {
        b["amount"] = "1180000.00";
        b["subtotal"] = "1000000";
        b["discounts"] = 10000;
        b["taxes"] = new JsonArray(new JsonObject { ["scheme"] = "01", ["rate"] = "19.00", ["base"] = "1000000", ["amount"] = "190000" });
        b["withholdings"] = new JsonArray(
            new JsonObject { ["scheme"] = "06", ["rate"] = 2.5, ["base"] = "1000000", ["amount"] = "25000" },
            new JsonObject { ["scheme"] = "07", ["name"] = "ReteICA Bogotá", ["rate"] = "0.966", ["base"] = "1000000", ["amount"] = "9660" });
        change?.Invoke(b);
    });

    [Fact]
    public async Task A_taxed_invoice_is_stored_with_its_parts_and_payable_computed()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var (invoice, _) = await CreateAsync(app.A, Taxed());

        Assert.Equal("1000000.00", invoice.GetProperty("subtotal").GetString());
        Assert.Equal("10000.00", invoice.GetProperty("discounts").GetString());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("charges").ValueKind);
        var iva = Assert.Single(invoice.GetProperty("taxes").EnumerateArray());
        Assert.Equal("""{"scheme":"01","name":"IVA","rate":"19","base":"1000000.00","amount":"190000.00"}""", iva.GetRawText().Replace(" ", "", StringComparison.Ordinal));
        var withholdings = invoice.GetProperty("withholdings").EnumerateArray().ToList();
        Assert.Equal(["ReteRenta", "ReteICA Bogotá"], withholdings.Select(w => w.GetProperty("name").GetString()));
        Assert.Equal("0.966", withholdings[1].GetProperty("rate").GetString());
        Assert.Equal("1145340.00", invoice.GetProperty("payable").GetString());
        Assert.Equal(1, await CountAsync(app, "SELECT count(*) FROM invoices WHERE withheld = 34660 AND taxes -> 0 ->> 'amount' = '190000.00'"));
    }

    [Theory]
    [InlineData("amount", "1180000.01")]
    [InlineData("payable", "1180000.00")]
    public async Task Parts_that_do_not_add_up_to_the_cent_are_422_naming_the_field(string field, string value)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", Taxed(b => b[field] = value));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(field, ErrorFields(problem));
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Theory]
    [InlineData("""{"scheme":"01","rate":"19","base":"1000000","amount":"180000"}""", "taxes[0].amount")]
    [InlineData("""{"scheme":"06","rate":"19","base":"1000000","amount":"190000"}""", "taxes[0].scheme")]
    [InlineData("""{"scheme":"01","rate":"119","base":"1000000","amount":"190000"}""", "taxes[0].rate")]
    [InlineData("""{"scheme":"01","rate":"19","amount":"190000"}""", "taxes[0].base")]
    [InlineData("""{"scheme":"01","rate":"19","base":"1000000","amount":"190000","extra":1}""", "taxes[0].extra")]
    public async Task A_tax_that_breaks_a_rule_is_422_naming_its_entry(string tax, string field)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", Taxed(b => b["taxes"] = new JsonArray(JsonNode.Parse(tax))));

        Assert.Contains(field, ErrorFields(await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity)));
    }

    [Fact]
    public async Task Taxes_need_a_subtotal_and_a_credit_note_needs_a_negative_amount()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var noSubtotal = await SendAsync(app.A, HttpMethod.Post, "/", Taxed(b => b.Remove("subtotal")));
        using var positiveCredit = await SendAsync(app.A, HttpMethod.Post, "/", Body(b => b["kind"] = "credit_note"));
        var (credit, _) = await CreateAsync(app.A, Body(b => { b["kind"] = "credit_note"; b["amount"] = "-1234.50"; }));

        Assert.Equal(["subtotal"], ErrorFields(await AssertProblemAsync(noSubtotal, HttpStatusCode.UnprocessableEntity)));
        Assert.Equal(["amount"], ErrorFields(await AssertProblemAsync(positiveCredit, HttpStatusCode.UnprocessableEntity)));
        Assert.Equal("-1234.50", credit.GetProperty("amount").GetString());
        Assert.Equal("-1234.50", credit.GetProperty("payable").GetString());
    }

    [Fact]
    public async Task A_patch_of_the_amount_keeps_the_rules_and_payable_follows()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (invoice, etag) = await CreateAsync(app.A, Body(b =>
            b["withholdings"] = new JsonArray(new JsonObject { ["scheme"] = "06", ["rate"] = "2.5", ["base"] = "1000", ["amount"] = "25" })));
        var path = $"/{invoice.GetProperty("id").GetString()}";

        using var patched = await SendAsync(app.A, HttpMethod.Patch, path, """{"amount":"2000.00"}""", etag, "application/merge-patch+json");
        var changed = await JsonAsync(patched);
        using var unchanged = await SendAsync(app.A, HttpMethod.Patch, path, """{"description":"Paper and toner"}""", patched.Headers.ETag!.ToString(), "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("1975.00", changed.GetProperty("payable").GetString());
        Assert.Equal(changed.GetProperty("version").GetInt32(), (await JsonAsync(unchanged)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Csv_export_writes_a_column_pair_per_scheme_and_rate_and_imports_back_the_same_taxes()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await CreateAsync(app.A, Taxed());
        await CreateAsync(app.A, Body(b => b["number"] = "F-002"));

        using var export = await app.A.GetAsync("/export.csv", Token);
        var csv = await export.Content.ReadAsStringAsync(Token);
        var header = csv[..csv.IndexOf('\r', StringComparison.Ordinal)].Split(',');
        Assert.Equal(["tax_01_19_base", "tax_01_19_amount", "withholding_06_2.5_base", "withholding_06_2.5_amount", "withholding_07_0.966_base",
            "withholding_07_0.966_amount"], header.Where(h => h.StartsWith("tax_", StringComparison.Ordinal) || h.StartsWith("withholding_", StringComparison.Ordinal)));
        Assert.Contains("payable", header);

        using var import = await SendAsync(app.B, HttpMethod.Post, "/import", csv, contentType: "text/csv");
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal(1, await CountAsync(app, """
            SELECT count(*) FROM invoices a JOIN invoices b ON b.account_id = 'caller-b' AND b.number = a.number
            WHERE a.account_id = 'caller-a' AND a.taxes = b.taxes AND a.withheld = b.withheld AND a.subtotal = b.subtotal
              AND a.discounts = b.discounts AND a.taxes <> '[]'
            """));
        // The custom name of a withholding is not a CSV column: the import gives the scheme's standard name.
        Assert.Equal(1, await CountAsync(app, "SELECT count(*) FROM invoices WHERE account_id = 'caller-b' AND withholdings -> 1 ->> 'name' = 'ReteICA'"));
    }
}
