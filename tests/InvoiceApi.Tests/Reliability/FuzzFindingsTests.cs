using System.Net;
using System.Net.Sockets;
using System.Text;
using InvoiceApi.Functions.Api.Limits;
using InvoiceApi.Tests.Infrastructure;
using InvoiceApi.Tests.InvoicesFunction;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.Reliability;

/// <summary>One test per bug the fuzzer found: each was a 500 or an answer without problem+json before its fix.</summary>
public sealed class FuzzFindingsTests(PostgresServer server)
{
    [Theory]
    [InlineData("amount", "abc")]
    [InlineData("created_at", "yesterday")]
    [InlineData("date", "2024-02-30")]
    [InlineData("provider", "a\0b")]
    public async Task A_cursor_forged_with_the_public_key_around_a_bad_sort_key_is_a_400_not_a_500(string sort, string key)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await CreateAsync(app.A);

        var cursor = FuzzCursors.Forge(sort, descending: true, key, Guid.CreateVersion7());
        using var response = await SendAsync(app.A, HttpMethod.Get, $"/?sort={sort}&order=desc&cursor={cursor}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("cursor", problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_forged_cursor_with_a_well_formed_key_still_pages()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await CreateAsync(app.A);

        var cursor = FuzzCursors.Forge("amount", descending: true, "99999.00", Guid.CreateVersion7());
        using var response = await SendAsync(app.A, HttpMethod.Get, $"/?sort=amount&order=desc&cursor={cursor}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/", """{"date":"\ud83d","provider":"P","amount":"1.00","category":"c"}""")]
    [InlineData("POST", "/", """{"date":"2024-01-02","provider":"P","amount":"\udc00","category":"c"}""")]
    [InlineData("POST", "/", """{"date":"2024-01-02","provider":"P","amount":"1.00","category":"c","\ud800":1}""")]
    [InlineData("POST", "/import", """[{"date":"2024-01-02","provider":"P","amount":"1.00","category":"c","\ud800":1}]""")]
    [InlineData("PATCH", "/{id}", """{"\ud800x":null}""")]
    [InlineData("PUT", "/{id}", """{"date":"2024-01-02","provider":"P","amount":"1.00","category":"c","ocr_data":{"\udc00":"x"}}""")]
    public async Task A_json_escape_of_a_lone_surrogate_in_a_value_or_name_is_a_400_and_writes_nothing(string method, string path, string body)
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var (invoice, etag) = await CreateAsync(app.A);
        var id = invoice.GetProperty("id").GetString()!;
        var before = await RowTextAsync(app, id);

        using var response = await SendAsync(app.A, new HttpMethod(method), path.Replace("{id}", id, StringComparison.Ordinal), body, ifMatch: etag);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not valid Unicode", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await InvoiceCountAsync(app));
        Assert.Equal(before, await RowTextAsync(app, id));
    }

    [Fact]
    public async Task A_csv_import_whose_ocr_data_cell_escapes_a_lone_surrogate_is_a_422_and_writes_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Post, "/import",
            "date,provider,amount,category,ocr_data\r\n2024-01-02,P,1.00,c,\"{\"\"a\"\":\"\"\\ud800\"\"}\"\r\n", contentType: "text/csv");

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("rows[0].ocr_data", problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0, await InvoiceCountAsync(app));
    }

    [Fact]
    public async Task A_request_target_over_8_KiB_is_a_414_problem_not_a_bare_server_refusal()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        using var response = await SendAsync(app.A, HttpMethod.Get, "/?q=" + new string('a', RequestHeadLimit.TargetBytes + 10));

        var problem = await AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong);
        Assert.Equal("urn:invoice-api:problem:request-head-too-large", problem.GetProperty("type").GetString());
        await using var browserApp = await InvoicesApp.StartAsync(server, new() { ["ALLOWED_ORIGINS"] = "https://app.example.com" });
        using var fromPage = new HttpRequestMessage(HttpMethod.Get, "/?q=" + new string('a', RequestHeadLimit.TargetBytes + 10));
        fromPage.Headers.TryAddWithoutValidation("Origin", "https://app.example.com");
        using var pageResponse = await browserApp.A.SendAsync(fromPage, Token);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, pageResponse.StatusCode);
        Assert.Equal("https://app.example.com", Assert.Single(pageResponse.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("one big header")]
    [InlineData("101 small headers")]
    [InlineData("2,000 small headers")]
    public async Task Headers_over_the_limits_are_a_431_problem_with_cors_headers_not_a_bare_server_refusal(string headers)
    {
        await using var app = await InvoicesApp.StartAsync(server, new() { ["ALLOWED_ORIGINS"] = "https://app.example.com" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Origin", "https://app.example.com");
        if (headers == "one big header")
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", new string('x', RequestHeadLimit.HeaderBytes + 10));
        }
        foreach (var i in Enumerable.Range(0, headers.StartsWith("101", StringComparison.Ordinal) ? RequestHeadLimit.HeaderCount + 1 : headers.StartsWith("2,000", StringComparison.Ordinal) ? 2000 : 0))
        {
            request.Headers.TryAddWithoutValidation($"X-N{i}", "v");
        }

        using var response = await app.A.SendAsync(request, Token);

        await AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Equal("https://app.example.com", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task A_nul_in_the_path_is_refused_by_the_server_itself_with_a_bare_400()
    {
        // Documents the one kind of refusal no function code can shape: Kestrel rejects %00 while parsing the request line.
        await using var app = await InvoicesApp.StartAsync(server);
        using var client = new TcpClient();
        await client.ConnectAsync(app.Function.Client.BaseAddress!.Host, app.Function.Client.BaseAddress.Port, Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n"), Token);

        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, Token);

        Assert.StartsWith("HTTP/1.1 400 ", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }
}
