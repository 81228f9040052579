using System.Net;
using System.Text.Json;
using Invoices;
using InvoiceApi.Tests.Infrastructure;
using static InvoiceApi.Tests.InvoicesFunction.InvoiceCalls;

namespace InvoiceApi.Tests.InvoicesFunction;

/// <summary>GET /openapi.json describes what the function really does: its routes, the invoice it returns, the rules it applies, the errors it answers.</summary>
public sealed class OpenApiDocumentTests(PostgresServer server)
{
    private static readonly (string Path, string Method)[] Implemented =
    [
        ("/", "get"), ("/", "post"), ("/{id}", "get"), ("/{id}", "put"), ("/{id}", "patch"), ("/{id}", "delete"),
        ("/{id}/restore", "post"), ("/{id}/history", "get"), ("/import", "post"), ("/export.csv", "get"), ("/openapi.json", "get"),
        ("/documents", "post"), ("/{id}/document.xml", "get"), ("/account", "get"), ("/account", "put"),
    ];

    private static async Task<JsonElement> DocumentAsync(InvoicesApp app)
    {
        using var response = await app.Anonymous.GetAsync("/openapi.json", Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await JsonAsync(response);
    }

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static string[] PropertyNames(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task It_is_open_api_3_1_with_bearer_security()
    {
        await using var app = await InvoicesApp.StartAsync(server);

        var document = await DocumentAsync(app);

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("bearer", document.GetProperty("security")[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Every_route_is_described_and_every_described_route_is_routed()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var document = await DocumentAsync(app);

        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => m.Name != "parameters").Select(m => (path.Name, m.Name)))
            .ToHashSet();

        Assert.Equal(Implemented.ToHashSet(), described);
        foreach (var (path, method) in described)
        {
            var match = Function.Routes.Match(method.ToUpperInvariant(), path.Replace("{id}", Guid.CreateVersion7().ToString(), StringComparison.Ordinal));
            Assert.NotNull(match);
        }
    }

    [Fact]
    public async Task A_real_invoice_response_has_exactly_the_schemas_properties_all_required()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var document = await DocumentAsync(app);
        var (invoice, _) = await CreateAsync(app.A);

        var invoiceSchema = Schema(document, "Invoice");
        var returned = invoice.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(PropertyNames(invoiceSchema), returned);
        Assert.Equal(returned, invoiceSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        foreach (var property in invoice.EnumerateObject())
        {
            Assert.True(Admits(invoiceSchema.GetProperty("properties").GetProperty(property.Name), property.Value), $"{property.Name} = {property.Value}");
        }
    }

    [Fact]
    public async Task The_input_schema_matches_the_reader_and_the_validator()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var document = await DocumentAsync(app);
        var input = Schema(document, "InvoiceInput");
        var validator = new InvoiceDraftValidator(TimeProvider.System);

        var requiredByValidator = validator.Check(new InvoiceDraft()).Keys.Order(StringComparer.Ordinal);

        // The fields a client writes, and the server-owned ones a body may carry back (accepted and ignored).
        Assert.Equal(InvoiceFields.Writable.Concat(InvoiceFields.ServerOwned).Order(StringComparer.Ordinal), PropertyNames(input));
        Assert.Equal(requiredByValidator, input.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(PropertyNames(input), PropertyNames(Schema(document, "InvoicePatch")));
        Assert.False(Schema(document, "InvoicePatch").TryGetProperty("required", out _));
    }

    [Fact]
    public async Task The_list_parameters_are_all_described()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var document = await DocumentAsync(app);

        var names = document.GetProperty("paths").GetProperty("/").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("$ref").GetString()!.Split('/')[^1]).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "date_from", "date_to", "due_from", "due_to", "provider", "nit", "status", "category", "payment_method", "currency",
            "amount_min", "amount_max", "q", "overdue", "include", "all_callers", "sort", "order", "limit", "cursor",
        }, names);
    }

    [Fact]
    public async Task Sampled_real_responses_are_documented_for_their_operation()
    {
        await using var app = await InvoicesApp.StartAsync(server);
        var document = await DocumentAsync(app);
        var (invoice, etag) = await CreateAsync(app.A);
        var id = invoice.GetProperty("id").GetString();

        var samples = new List<(string Path, string Method, HttpResponseMessage Response)>
        {
            ("/", "post", await SendAsync(app.A, HttpMethod.Post, "/", Body(b => b["amount"] = "0"))),
            ("/", "post", await SendAsync(app.A, HttpMethod.Post, "/", "{", contentType: "application/json")),
            ("/", "post", await SendAsync(app.A, HttpMethod.Post, "/", Body(), contentType: "text/plain")),
            ("/{id}", "get", await app.A.GetAsync($"/{id}", Token)),
            ("/{id}", "get", await app.B.GetAsync($"/{id}", Token)),
            ("/{id}", "get", await app.B.GetAsync($"/{id}?all_callers=true", Token)),
            ("/{id}", "put", await SendAsync(app.A, HttpMethod.Put, $"/{id}", Body())),
            ("/{id}", "patch", await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"status":"void"}""", ifMatch: "\"9\"")),
            ("/{id}", "patch", await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"status":"void"}""", ifMatch: etag)),
            ("/{id}", "patch", await SendAsync(app.A, HttpMethod.Patch, $"/{id}", """{"status":"paid"}""", ifMatch: "\"2\"")),
            ("/{id}", "delete", await SendAsync(app.A, HttpMethod.Delete, $"/{id}", ifMatch: "\"2\"")),
            ("/{id}/restore", "post", await SendAsync(app.A, HttpMethod.Post, $"/{id}/restore")),
        };

        foreach (var (path, method, response) in samples)
        {
            using (response)
            {
                var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
                var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var documented), $"{method} {path} answered {status}, which the document does not list");
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (documented.TryGetProperty("$ref", out var reference))
                {
                    documented = document.GetProperty("components").GetProperty("responses").GetProperty(reference.GetString()!.Split('/')[^1]);
                }
                if (mediaType is not null && documented.TryGetProperty("content", out var content))
                {
                    Assert.True(content.TryGetProperty(mediaType, out _), $"{method} {path} {status} answered {mediaType}");
                }
            }
        }
    }

    // The schema's JSON type(s), enum and pattern admit the value.
    private static bool Admits(JsonElement schema, JsonElement value)
    {
        var types = schema.GetProperty("type") is { ValueKind: JsonValueKind.Array } many ? many.EnumerateArray().Select(t => t.GetString()!).ToArray() : [schema.GetProperty("type").GetString()!];
        var kind = value.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) && types.Contains("integer") ? "integer" : "number",
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.Null => "null",
            _ => "other",
        };
        if (!types.Contains(kind))
        {
            return false;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            return false;
        }
        return kind != "string" || !schema.TryGetProperty("pattern", out var pattern)
            || System.Text.RegularExpressions.Regex.IsMatch(value.GetString()!, pattern.GetString()!);
    }
}
