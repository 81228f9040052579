using System.Globalization;
using System.Net;
using System.Text.Json;
using InvoiceApi.Functions.Api.Requests;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>PATCH /{id}: JSON merge patch (RFC 7396) under If-Match.</summary>
public sealed class PatchInvoiceTests(PostgresServer server)
{
    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json")]
    public async Task A_patch_changes_only_the_named_fields(string contentType)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);

        using var response = await SendAsync(app.A, HttpMethod.Patch, $"/{created.GetProperty("id").GetString()}",
            """{"amount":"99.90","description":null}""", ifMatch: etag, contentType: contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invoice = await JsonAsync(response);
        Assert.Equal("99.90", invoice.GetProperty("amount").GetString());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("description").ValueKind);
        Assert.Equal(created.GetProperty("provider").GetString(), invoice.GetProperty("provider").GetString());
        Assert.Equal(created.GetProperty("nit").GetString(), invoice.GetProperty("nit").GetString());
        Assert.Equal("\"2\"", response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Ocr_data_merges_member_by_member()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);

        using var response = await SendAsync(app.A, HttpMethod.Patch, $"/{created.GetProperty("id").GetString()}",
            """{"ocr_data":{"lines":null,"vendor":"X"}}""", ifMatch: etag, contentType: "application/merge-patch+json");

        var ocr = (await JsonAsync(response)).GetProperty("ocr_data");
        Assert.Equal("1234.50", ocr.GetProperty("total").GetString());
        Assert.Equal("X", ocr.GetProperty("vendor").GetString());
        Assert.False(ocr.TryGetProperty("lines", out _));
    }

    [Theory]
    [InlineData("""{"provider":null}""", "provider")]
    [InlineData("""{"amount":null}""", "amount")]
    [InlineData("""{"date":null}""", "date")]
    [InlineData("""{"category":null}""", "category")]
    [InlineData("""{"currency":null}""", "currency")]
    [InlineData("""{"status":null}""", "status")]
    [InlineData("""{"nit":"900123456-1"}""", "nit")]
    [InlineData("""{"due_date":"2020-01-01"}""", "due_date")]
    [InlineData("""{"unknown":1}""", "unknown")]
    public async Task Null_on_a_required_field_or_a_bad_value_is_422_and_nothing_changes(string patch, string field)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        // Neither default: a null that fell back to COP or pending would change the row.
        var (created, etag) = await CreateAsync(app.A, Body(b => { b["currency"] = "USD"; b["status"] = "paid"; }));
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", patch, ifMatch: etag, contentType: "application/merge-patch+json");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal([field], ErrorFields(problem));
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task Without_if_match_it_is_428_and_with_a_stale_one_412()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, _) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var missing = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""");
        using var stale = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: "\"9\"");
        using var malformed = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: "9");
        using var foreign = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"amount":"1"}""", ifMatch: "\"abc\"");

        await AssertProblemAsync(missing, (HttpStatusCode)428);
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        await AssertProblemAsync(foreign, HttpStatusCode.PreconditionFailed);
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Theory]
    [InlineData("text/plain", """{"amount":"1"}""", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/merge-patch+json", """{"amount":""", HttpStatusCode.BadRequest)]
    [InlineData("application/merge-patch+json", "[1]", HttpStatusCode.BadRequest)]
    [InlineData("application/merge-patch+json", "null", HttpStatusCode.BadRequest)]
    public async Task A_patch_that_is_not_a_json_object_is_refused(string contentType, string body, HttpStatusCode status)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);

        using var response = await SendAsync(app.A, HttpMethod.Patch, $"/{created.GetProperty("id").GetString()}", body, ifMatch: etag, contentType: contentType);

        await AssertProblemAsync(response, status);
    }

    [Fact]
    public async Task Paying_sets_paid_at_and_undoing_clears_it()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString();

        using var paid = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"status":"paid"}""", ifMatch: etag);
        using var renamed = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"provider":"Renamed"}""", ifMatch: "\"2\"");
        using var undone = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"status":"pending"}""", ifMatch: "\"3\"");

        var today = CallerClock.Default(TimeProvider.System).Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(today, (await JsonAsync(paid)).GetProperty("paid_at").GetString());
        Assert.Equal(today, (await JsonAsync(renamed)).GetProperty("paid_at").GetString());
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(undone)).GetProperty("paid_at").ValueKind);
    }

    [Fact]
    public async Task An_empty_patch_changes_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (created, etag) = await CreateAsync(app.A);
        var id = created.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, HttpMethod.Patch, $"/{id}", "{}", ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag!.ToString());
        Assert.Equal(before, await RowTextAsync(app, id));
    }
}
