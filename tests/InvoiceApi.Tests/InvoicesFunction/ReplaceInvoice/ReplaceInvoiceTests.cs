using System.Net;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>PUT /{id}: full replacement under If-Match (428, 412, 400), the same rules as create, version and updated_at by the server.</summary>
public sealed class ReplaceInvoiceTests(PostgresServer server)
{
    [Fact]
    public async Task A_replacement_with_the_current_etag_changes_every_field_and_bumps_the_version()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{id}",
            """{"date":"2024-05-01","provider":"Other","amount":"10","category":"Travel","currency":"USD"}""", ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag!.ToString());
        var invoice = await JsonAsync(response);
        Assert.Equal(2, invoice.GetProperty("version").GetInt32());
        Assert.Equal("Other", invoice.GetProperty("provider").GetString());
        Assert.Equal("10.00", invoice.GetProperty("amount").GetString());
        Assert.Equal("USD", invoice.GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("nit").ValueKind);
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("ocr_data").ValueKind);
        Assert.Equal(created.GetProperty("created_at").GetString(), invoice.GetProperty("created_at").GetString());
        Assert.True(string.CompareOrdinal(invoice.GetProperty("updated_at").GetString(), created.GetProperty("updated_at").GetString()) > 0);
        using var read = await app.A.GetAsync($"/{id}", Token);
        Assert.Equal(invoice.ToString(), (await JsonAsync(read)).ToString());
    }

    [Fact]
    public async Task Sending_back_what_get_returned_changes_nothing_and_keeps_the_version()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{id}", created.ToString(), ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.ToString());
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task Without_if_match_it_is_428_and_nothing_changes()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => b["amount"] = "1"));

        await AssertProblemAsync(response, (HttpStatusCode)428);
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Theory]
    [InlineData("\"2\"")]
    [InlineData("W/\"1\"")]
    [InlineData("\"3\", \"4\"")]
    public async Task A_stale_or_weak_etag_is_412_and_nothing_changes(string ifMatch)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => b["amount"] = "1"), ifMatch: ifMatch);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("abc")]
    [InlineData("\"1")]
    [InlineData("W/")]
    public async Task A_malformed_if_match_is_400(string ifMatch)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{created.GetProperty("id").GetString()}", Body(), ifMatch: ifMatch);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task If_match_star_matches_the_current_version()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{created.GetProperty("id").GetString()}", Body(b => b["amount"] = "2"), ifMatch: "*");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_invalid_replacement_is_422_and_nothing_changes()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{id}", """{"date":"2024-05-01","amount":"-3","category":"x"}""", ifMatch: etag);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["amount", "provider"], ErrorFields(problem));
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Theory]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "[]", HttpStatusCode.BadRequest)]
    public async Task A_body_that_is_not_a_json_object_is_refused(string contentType, string body, HttpStatusCode status)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{created.GetProperty("id").GetString()}", body, ifMatch: etag, contentType: contentType);

        await AssertProblemAsync(response, status);
    }

    [Fact]
    public async Task An_unknown_invoice_is_404()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Put, $"/{Guid.CreateVersion7()}", Body(), ifMatch: "\"1\"");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Paid_at_follows_the_status_and_a_clients_date_is_honoured()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        using var paid = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => { b["status"] = "paid"; b["paid_at"] = "2024-04-02"; }), ifMatch: etag);
        using var stillPaid = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => { b["status"] = "paid"; b["amount"] = "5"; }), ifMatch: "\"2\"");
        using var undone = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => b["status"] = "pending"), ifMatch: "\"3\"");

        Assert.Equal("2024-04-02", (await JsonAsync(paid)).GetProperty("paid_at").GetString());
        Assert.Equal("2024-04-02", (await JsonAsync(stillPaid)).GetProperty("paid_at").GetString());
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(undone)).GetProperty("paid_at").ValueKind);
    }

    [Fact]
    public async Task Concurrent_replacements_with_one_etag_let_exactly_one_win()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        var statuses = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            using var response = await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body(b => b["amount"] = $"{i}.00"), ifMatch: etag);
            return response.StatusCode;
        }));

        Assert.Single(statuses, HttpStatusCode.OK);
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        Assert.Equal(1, await CountAsync(app, "SELECT count(*) FROM invoices WHERE version = 2"));
    }
}
