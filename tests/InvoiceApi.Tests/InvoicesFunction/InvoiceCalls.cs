using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>Requests and assertions the single-invoice tests share.</summary>
internal static class InvoiceCalls
{
    internal static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A valid invoice body; <paramref name="change"/> edits it before it is sent.</summary>
    internal static string Body(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["number"] = "F-001",
            ["date"] = "2024-03-31",
            ["due_date"] = "2024-04-30",
            ["provider"] = "  Papelería El Sol S.A.S. ",
            ["nit"] = "900.123.456",
            ["amount"] = "1234.50",
            ["currency"] = "cop",
            ["payment_method"] = "transfer",
            ["category"] = "Office",
            ["description"] = "Paper and toner",
            ["file_path"] = "gs://scans/2024/f-001.pdf",
            ["ocr_data"] = new JsonObject { ["total"] = "1234.50", ["lines"] = new JsonArray(1, 2) },
            ["ocr_confidence"] = 0.93,
        };
        change?.Invoke(body);
        return body.ToJsonString();
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null,
        string? ifMatch = null, string contentType = "application/json", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request, Token);
    }

    /// <summary>Creates an invoice and returns its JSON and ETag.</summary>
    internal static async Task<(JsonElement Invoice, string ETag)> CreateAsync(HttpClient client, string? body = null)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/", body ?? Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response), response.Headers.ETag!.ToString());
    }

    internal static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> and returns it.</summary>
    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await JsonAsync(response);
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The field names of a 422's errors member.</summary>
    internal static string[] ErrorFields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    internal static async Task<long> CountAsync(InvoicesApp app, string sql)
    {
        await using var dataSource = app.Database.AdminDataSource();
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    internal static Task<long> InvoiceCountAsync(InvoicesApp app) => CountAsync(app, "SELECT count(*) FROM invoices");

    /// <summary>The stored row as text, to show that a refused request changed nothing.</summary>
    internal static async Task<string> RowTextAsync(InvoicesApp app, string id)
    {
        await using var dataSource = app.Database.AdminDataSource();
        await using var command = dataSource.CreateCommand("SELECT i::text FROM invoices i WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(id) });
        return (string)(await command.ExecuteScalarAsync(Token))!;
    }
}
