using System.Globalization;
using System.Net;
using System.Text.Json;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>POST /: 201 with Location and ETag, normalized values, and every bad input a 4xx that writes nothing.</summary>
public sealed class CreateInvoiceTests(PostgresServer server)
{
    [Fact]
    public async Task A_valid_invoice_is_created_normalized_with_location_and_etag()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", Body());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var invoice = await JsonAsync(response);
        var id = invoice.GetProperty("id").GetString()!;
        Assert.Equal(7, Guid.Parse(id).Version);
        Assert.Equal($"/{id}", response.Headers.Location!.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag!.ToString());
        Assert.Equal("Papelería El Sol S.A.S.", invoice.GetProperty("provider").GetString());
        Assert.Equal("900123456-8", invoice.GetProperty("nit").GetString());
        Assert.Equal("1234.50", invoice.GetProperty("amount").GetString());
        Assert.Equal("COP", invoice.GetProperty("currency").GetString());
        Assert.Equal("pending", invoice.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("paid_at").ValueKind);
        Assert.Equal(1, invoice.GetProperty("version").GetInt32());
        Assert.Equal("1234.50", invoice.GetProperty("ocr_data").GetProperty("total").GetString());
        Assert.Equal(1, await CountAsync(app, $"SELECT count(*) FROM invoices WHERE id = '{id}' AND account_id = 'caller-a' AND amount = 1234.50"));
    }

    [Fact]
    public async Task Minimal_body_gets_defaults_and_a_paid_invoice_gets_paid_at()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var (minimal, _) = await CreateAsync(app.A, """{"date":"2024-01-02","provider":"P","amount":5,"category":"c"}""");
        var (paid, _) = await CreateAsync(app.A, """{"date":"2024-01-02","provider":"P","amount":5,"category":"c","status":"paid"}""");
        var (paidBefore, _) = await CreateAsync(app.A, """{"date":"2024-01-02","provider":"P","amount":5,"category":"c","status":"paid","paid_at":"2024-01-05"}""");

        Assert.Equal("COP", minimal.GetProperty("currency").GetString());
        Assert.Equal("5.00", minimal.GetProperty("amount").GetString());
        Assert.Equal(JsonValueKind.Null, minimal.GetProperty("nit").ValueKind);
        Assert.Equal(CallerClock.Default(TimeProvider.System).Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), paid.GetProperty("paid_at").GetString());
        Assert.Equal("2024-01-05", paidBefore.GetProperty("paid_at").GetString());
    }

    [Theory]
    [InlineData("""{"nit":"900123456-7"}""", "nit")]
    [InlineData("""{"amount":"0"}""", "amount")]
    [InlineData("""{"amount":"1.001"}""", "amount")]
    [InlineData("""{"amount":"1.000000000000000000000000000001"}""", "amount")]
    [InlineData("""{"amount":1.000000000000000000000000000001}""", "amount")]
    [InlineData("""{"amount":1.000000000000000000000000000001e0}""", "amount")]
    [InlineData("""{"amount":"abc"}""", "amount")]
    [InlineData("""{"amount":1e20}""", "amount")]
    [InlineData("""{"date":"2024-02-30"}""", "date")]
    [InlineData("""{"date":"2999-01-01","due_date":null}""", "date")]
    [InlineData("""{"due_date":"2024-01-01"}""", "due_date")]
    [InlineData("""{"currency":"ABC"}""", "currency")]
    [InlineData("""{"currency":null}""", "currency")]
    [InlineData("""{"status":null}""", "status")]
    [InlineData("""{"status":"overdue"}""", "status")]
    [InlineData("""{"payment_method":"crypto"}""", "payment_method")]
    [InlineData("""{"provider":7}""", "provider")]
    [InlineData("""{"provider":null}""", "provider")]
    [InlineData("""{"file_path":"ftp://x/y"}""", "file_path")]
    [InlineData("""{"ocr_data":[1]}""", "ocr_data")]
    [InlineData("""{"ocr_confidence":2}""", "ocr_confidence")]
    [InlineData("""{"paid_at":"2024-04-01"}""", "paid_at")]
    [InlineData("""{"colour":"red"}""", "colour")]
    public async Task A_bad_field_is_422_naming_it_and_writes_nothing(string overrides, string field)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = Body(b =>
        {
            foreach (var (name, value) in System.Text.Json.Nodes.JsonNode.Parse(overrides)!.AsObject())
            {
                b[name] = value?.DeepClone();
            }
        });

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal([field], ErrorFields(problem));
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task Every_bad_field_is_reported_in_one_answer()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", """{"amount":true,"nit":"1","extra":1}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["amount", "category", "date", "extra", "nit", "provider"], ErrorFields(problem));
    }

    [Theory]
    [InlineData("{\"provider\":", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("[]", "application/json")]
    [InlineData("\"text\"", "application/json")]
    public async Task Malformed_json_or_a_non_object_is_400(string body, string contentType)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", body, contentType: contentType);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/merge-patch+json")]
    public async Task A_body_that_is_not_json_is_415(string contentType)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", Body(), contentType: contentType);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = Body(b => b["description"] = new string('x', 1024 * 1024 + 10));

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", body);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_query_parameter_is_400()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/?status=paid", Body());

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task Without_a_token_it_is_401()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.Anonymous, HttpMethod.Post, "/", Body());

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task Ocr_data_that_postgresql_stores_larger_than_64_kib_is_422_not_500()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        // 60 KB compact, but jsonb prints "1, 1, ...": past the column's 64 KiB check, which the validator cannot see.
        var body = Body(b => b["ocr_data"] = new System.Text.Json.Nodes.JsonObject { ["d"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, 30_000).Select(_ => (System.Text.Json.Nodes.JsonNode?)1)]) });

        using var response = await SendAsync(app.A, HttpMethod.Post, "/", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["ocr_data"], ErrorFields(problem));
        Assert.Equal(0, await InvoiceCountAsync(app));
    }
}
