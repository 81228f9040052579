using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using InvoiceApi.Tests.Infrastructure;
using Npgsql;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>
/// POST /import: 10,000 rows as JSON or CSV in one go, all or nothing, the caller's own. The app logs in as the runtime
/// role (InvoicesApp), so every import here also passes row-level security: COPY goes to a temporary table, never to invoices.
/// </summary>
public sealed class ImportInvoicesTests(PostgresServer server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private const string CsvHeader = "number,date,due_date,provider,nit,amount,currency,payment_method,category,description,status";

    private static string JsonRow(int i, string? amount = null) => $$"""
        {"number":"F-{{i}}","date":"2024-0{{i % 9 + 1}}-15","due_date":"2024-12-31","provider":"Proveedor Ñandú {{i}}","nit":"900123456",
         "amount":{{amount ?? (10 + i % 1000).ToString(CultureInfo.InvariantCulture) + ".25"}},"currency":"usd","payment_method":"transfer",
         "category":"Imported","description":"row {{i}} of a long import, with some words to make it realistic","status":"{{(i % 3 == 0 ? "paid" : "pending")}}"}
        """;

    private static string JsonBody(int count, Func<int, string>? row = null) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(row ?? (i => JsonRow(i)))) + "]";

    private static string CsvRow(int i, string? amount = null) =>
        $"F-{i},2024-0{i % 9 + 1}-15,,\"Proveedor, {i}\",900.123.456-8,{amount ?? "99.90"},COP,cash,Imported,\"dice \"\"hola\"\"\",pending";

    private static string CsvBody(int count, Func<int, string>? row = null) =>
        CsvHeader + "\r\n" + string.Join("\r\n", Enumerable.Range(0, count).Select(row ?? (i => CsvRow(i)))) + "\r\n";

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string mediaType) =>
        client.PostAsync("/import", new StringContent(body, Encoding.UTF8, mediaType), Token);

    private static async Task<long> CountAsync(InvoicesApp app, string userId)
    {
        await using var dataSource = app.Database.AdminDataSource();
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM invoices WHERE account_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    private static async Task<JsonElement> JsonOfAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Ten_thousand_json_invoices_are_imported_in_one_request_over_1_MiB()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = JsonBody(10_000);
        Assert.True(Encoding.UTF8.GetByteCount(body) > 1024 * 1024);

        var response = await PostAsync(app.A, body, "application/json");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var result = await JsonOfAsync(response);
        Assert.Equal(10_000, result.GetProperty("imported").GetInt32());
        var ids = result.GetProperty("ids").EnumerateArray().Select(id => id.GetGuid()).ToList();
        Assert.Equal(10_000, ids.Distinct().Count());
        Assert.All(ids.Take(20), id => Assert.Equal(7, id.Version));
        Assert.Equal(10_000, await CountAsync(app, InvoicesApp.CallerA));
        var third = await JsonOfAsync(await app.A.GetAsync("/?q=F-3&amount_min=13.25&amount_max=13.25&include=archived", Token));
        var invoice = third.GetProperty("data").EnumerateArray().Single(i => i.GetProperty("number").GetString() == "F-3");
        Assert.Equal(ids[3].ToString(), invoice.GetProperty("id").GetString());
        Assert.Equal("13.25", invoice.GetProperty("amount").GetString());
        Assert.Equal("USD", invoice.GetProperty("currency").GetString());
        Assert.Equal("900123456-8", invoice.GetProperty("nit").GetString());
        Assert.Equal("paid", invoice.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, invoice.GetProperty("paid_at").ValueKind);
        Assert.Equal(1, invoice.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Ten_thousand_csv_invoices_are_imported()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await PostAsync(app.A, CsvBody(10_000), "text/csv");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(10_000, (await JsonOfAsync(response)).GetProperty("imported").GetInt32());
        Assert.Equal(10_000, await CountAsync(app, InvoicesApp.CallerA));
        var page = await JsonOfAsync(await app.A.GetAsync("/?q=F-42%20proveedor&limit=100", Token));
        var invoice = page.GetProperty("data").EnumerateArray().Single(i => i.GetProperty("number").GetString() == "F-42");
        Assert.Equal("Proveedor, 42", invoice.GetProperty("provider").GetString());
        Assert.Equal("dice \"hola\"", invoice.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("due_date").ValueKind);
        Assert.Equal("99.90", invoice.GetProperty("amount").GetString());
    }

    [Fact]
    public async Task One_bad_json_row_among_10000_writes_nothing_and_is_named()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await PostAsync(app.A, JsonBody(10_000, i => i == 4321 ? JsonRow(i, amount: "-5") : JsonRow(i)), "application/json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["rows[4321].amount"], await ListSeed.ErrorKeysAsync(response));
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task A_row_with_a_malformed_date_still_reports_its_other_fields_as_a_single_write_does()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        // One row: a date that is no date, an empty provider and a NIT whose check digit is wrong, in JSON and in CSV.
        var json = "[" + JsonRow(0).Replace("\"2024-01-15\"", "\"15/01/2024\"", StringComparison.Ordinal)
            .Replace("\"Proveedor Ñandú 0\"", "\"  \"", StringComparison.Ordinal).Replace("\"900123456\"", "\"900123456-1\"", StringComparison.Ordinal) + "]";
        var csv = CsvHeader + "\r\n" + CsvRow(0).Replace("2024-01-15", "15/01/2024", StringComparison.Ordinal)
            .Replace("\"Proveedor, 0\"", "\"  \"", StringComparison.Ordinal).Replace("900.123.456-8", "900.123.456-1", StringComparison.Ordinal) + "\r\n";

        var fromJson = await PostAsync(app.A, json, "application/json");
        var fromCsv = await PostAsync(app.A, csv, "text/csv");
        var single = await app.A.PostAsync("/", new StringContent(json[1..^1], Encoding.UTF8, "application/json"), Token);

        Assert.Equal(["date", "nit", "provider"], await ListSeed.ErrorKeysAsync(single));
        Assert.Equal(["rows[0].date", "rows[0].nit", "rows[0].provider"], await ListSeed.ErrorKeysAsync(fromJson));
        Assert.Equal(["rows[0].date", "rows[0].nit", "rows[0].provider"], await ListSeed.ErrorKeysAsync(fromCsv));
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task Bad_csv_rows_write_nothing_and_each_is_named_with_its_fields()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = CsvBody(500, i => i switch
        {
            7 => CsvRow(i, amount: "12,5"),
            8 => CsvRow(i).Replace("2024-0", "2024-1", StringComparison.Ordinal).Replace("-15,", "-45,", StringComparison.Ordinal),
            9 => CsvRow(i).Replace("900.123.456-8", "900.123.456-1", StringComparison.Ordinal).Replace("cash", "gold", StringComparison.Ordinal),
            _ => CsvRow(i),
        });

        var response = await PostAsync(app.A, body, "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["rows[7]", "rows[8].date", "rows[9].nit", "rows[9].payment_method"], await ListSeed.ErrorKeysAsync(response));
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task Ocr_data_nested_deeper_than_an_invoice_body_allows_is_refused_and_the_deepest_allowed_can_be_patched()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"\"a\"\":", levels - 1)) + "{}" + new string('}', levels - 1);
        static string Body(int levels) => "date,provider,amount,category,ocr_data\r\n2024-05-01,Proveedor,10.00,C,\"" + Nested(levels) + "\"\r\n";

        var tooDeep = await PostAsync(app.A, Body(64), "text/csv");
        var deepest = await PostAsync(app.A, Body(63), "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooDeep.StatusCode);
        Assert.Equal(["rows[0].ocr_data"], await ListSeed.ErrorKeysAsync(tooDeep));
        Assert.Equal(HttpStatusCode.Created, deepest.StatusCode);
        await using var dataSource = app.Database.AdminDataSource();
        await using var find = dataSource.CreateCommand("SELECT id FROM invoices WHERE account_id = 'caller-a'");
        var id = (Guid)(await find.ExecuteScalarAsync(Token))!;
        using var current = await app.A.GetAsync($"/{id}", Token);
        using var patched = await InvoiceCalls.SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"description":"checked"}""",
            ifMatch: current.Headers.ETag!.ToString(), contentType: "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }

    [Fact]
    public async Task A_small_ocr_confidence_exports_with_an_exponent_and_imports_again()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var first = await PostAsync(app.A, "date,provider,amount,category,ocr_confidence\r\n2024-05-01,Proveedor,10.00,C,0.00001\r\n", "text/csv");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var exported = await app.A.GetStringAsync("/export.csv", Token);
        Assert.Contains(",1E-05,", exported, StringComparison.Ordinal);

        var again = await PostAsync(app.B, exported, "text/csv");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Contains(",1E-05,", await app.B.GetStringAsync("/export.csv", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_bad_rows_are_counted_and_the_first_hundred_listed()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await PostAsync(app.A, JsonBody(300, i => i % 2 == 0 ? """{"provider":"x"}""" : JsonRow(i)), "application/json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await JsonOfAsync(response);
        Assert.StartsWith("150 of 300 rows are invalid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var rows = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name[..e.Name.IndexOf(']', StringComparison.Ordinal)]).Distinct().ToList();
        Assert.Equal(100, rows.Count);
        Assert.Contains("rows[198", rows);
    }

    [Fact]
    public async Task More_than_10000_rows_is_a_413_and_writes_nothing()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await PostAsync(app.A, CsvBody(10_001, i => $"F{i},2024-01-01,,P,,1,,,C,,"), "text/csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task A_body_over_10_MiB_is_a_413_problem()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var padding = new string('x', 1900);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/import")
        {
            Content = new StringContent(JsonBody(6000, i => $$"""{"provider":"P","date":"2024-01-01","amount":1,"category":"C","description":"{{padding}}"}"""), Encoding.UTF8, "application/json"),
        };
        // The client waits for the server's go-ahead, so it hears the 413 instead of a connection cut mid-upload.
        request.Headers.ExpectContinue = true;

        var response = await app.A.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Theory]
    [InlineData("application/json", "{\"provider\":\"x\"}", 400)]
    [InlineData("application/json", "[{\"provider\":", 400)]
    [InlineData("application/json", "[]", 422)]
    [InlineData("text/plain", "number\n1", 415)]
    [InlineData("text/csv", "", 400)]
    [InlineData("text/csv", "date,provider,amount,category,colour\n2024-01-01,P,1,C,red\n", 400)]
    [InlineData("text/csv", "date,provider,amount\n2024-01-01,P,1\n", 400)]
    [InlineData("text/csv", "date,provider,amount,category\n2024-01-01,\"P,1,C\n", 400)]
    [InlineData("text/csv", "date,provider,amount,category\n2024-01-01,P\"x,1,C\n", 400)]
    [InlineData("text/csv", "date,provider,amount,category\n", 422)]
    public async Task A_malformed_body_is_a_4xx_problem_and_writes_nothing(string mediaType, string body, int status)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await PostAsync(app.A, body, mediaType);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task Csv_that_is_not_utf8_is_a_400()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var latin1 = Encoding.Latin1.GetBytes("date,provider,amount,category\n2024-01-01,Panadería,1,C\n");

        var response = await app.A.PostAsync("/import", new ByteArrayContent(latin1) { Headers = { ContentType = new("text/csv") } }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task An_export_imports_again_as_another_callers_invoices()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        await ListSeed.InsertAsync(app.Database, ListSeed.Many(InvoicesApp.CallerA, 40));
        var exported = await app.A.GetStringAsync("/export.csv?sort=amount", Token);

        var response = await PostAsync(app.B, exported, "text/csv");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var again = await app.B.GetStringAsync("/export.csv?sort=amount", Token);
        static IEnumerable<string> Business(string csv) => csv.Split("\r\n").Skip(1).Select(line => string.Join(',', line.Split(',').Skip(1).Take(13)));
        Assert.Equal(Business(exported), Business(again));
    }

    [Fact]
    public async Task Imported_invoices_belong_to_the_importer_alone()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await PostAsync(app.B, JsonBody(25), "application/json");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(25, await CountAsync(app, InvoicesApp.CallerB));
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
        Assert.Empty((await JsonOfAsync(await app.A.GetAsync("/", Token))).GetProperty("data").EnumerateArray());
        Assert.Equal(25, (await JsonOfAsync(await app.B.GetAsync("/?limit=100", Token))).GetProperty("data").GetArrayLength());
    }

    private static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/import") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Token);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_replays_the_first_answer_and_imports_nothing_again()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = JsonBody(200);

        var first = await PostWithKeyAsync(app.A, body, "import-2024-06");
        var retry = await PostWithKeyAsync(app.A, body, "import-2024-06");
        var other = await PostWithKeyAsync(app.A, JsonBody(201), "import-2024-06");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotency-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(Token), await retry.Content.ReadAsStringAsync(Token));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(200, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_import_once()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = JsonBody(300);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostWithKeyAsync(app.A, body, "same-batch")));

        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Equal(1, responses.Count(response => response.StatusCode == HttpStatusCode.Created && !response.Headers.Contains("Idempotency-Replayed")));
        Assert.Equal(300, await CountAsync(app, InvoicesApp.CallerA));
    }

    [Fact]
    public async Task The_same_key_from_another_caller_is_another_import()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var body = JsonBody(10);

        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync(app.A, body, "k1")).StatusCode);
        var fromB = await PostWithKeyAsync(app.B, body, "k1");

        Assert.Equal(HttpStatusCode.Created, fromB.StatusCode);
        Assert.False(fromB.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(10, await CountAsync(app, InvoicesApp.CallerB));
    }

    [Theory]
    [InlineData("/import?dry_run=true")]
    public async Task An_unknown_query_parameter_is_a_400(string url)
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var response = await app.A.PostAsync(url, new StringContent(JsonBody(1), Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync(app, InvoicesApp.CallerA));
    }
}
