using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using InvoiceApi.Tests.Deploy;
using Json.Schema;

namespace InvoiceApi.Tests.OpenApi;

/// <summary>
/// A function's OpenAPI document, read from the repository, able to say whether a response it sent is one the
/// document describes: a documented status, a documented media type, a body that matches the schema, and the headers
/// the document marks required.
/// </summary>
public sealed class OpenApiDescription
{
    private static readonly ConcurrentDictionary<string, OpenApiDescription> Loaded = new(StringComparer.Ordinal);

    private readonly JsonElement _document;
    private readonly Uri _baseUri;
    private readonly BuildOptions _buildOptions;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private OpenApiDescription(string path)
    {
        Path = path;
        _document = JsonDocument.Parse(RepositoryFiles.Read(path)).RootElement.Clone();
        _baseUri = new Uri($"https://openapi.test/{path}");
        _buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        _buildOptions.SchemaRegistry.Register(_baseUri, new JsonElementBaseDocument(_document, _baseUri));
    }

    /// <summary>The document's path in the repository.</summary>
    public string Path { get; }

    public static OpenApiDescription Invoices => Loaded.GetOrAdd("functions/Invoices/openapi.json", path => new OpenApiDescription(path));

    public static OpenApiDescription Stats => Loaded.GetOrAdd("functions/Stats/openapi.json", path => new OpenApiDescription(path));

    /// <summary>What is wrong with this answer to <paramref name="method"/> <paramref name="requestPath"/>, or nothing.
    /// A path or method the document does not describe is not judged here (the route tests cover 404 and 405).</summary>
    public IReadOnlyList<string> Check(string method, string requestPath, int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, byte[] body)
    {
        if (FindOperation(method, requestPath) is not var (template, operationName, operation))
        {
            return [];
        }
        var where = $"{method} {requestPath} ({operationName} {template} in {Path}) answered {status}";
        var responses = operation.GetProperty("responses");
        if (!TryResponse(responses, $"#/paths/{Escape(template)}/{operationName}/responses", status, out var response, out var pointer))
        {
            return [$"{where}: the document lists no {status} for this operation."];
        }
        var problems = new List<string>();
        CheckHeaders(response, headers, contentHeaders, where, problems);
        var isHead = string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);
        if (body.Length == 0 || isHead || !response.TryGetProperty("content", out var content))
        {
            return problems;
        }
        var mediaType = contentHeaders?.ContentType?.MediaType ?? "";
        if (!content.TryGetProperty(mediaType, out var media))
        {
            problems.Add($"{where}: Content-Type {mediaType} is not one the document lists ({string.Join(", ", content.EnumerateObject().Select(p => p.Name))}).");
            return problems;
        }
        if (mediaType.EndsWith("json", StringComparison.Ordinal) && media.TryGetProperty("schema", out _))
        {
            CheckBody($"{pointer}/content/{Escape(mediaType)}/schema", body, where, problems);
        }
        return problems;
    }

    private (string Template, string Method, JsonElement Operation)? FindOperation(string method, string requestPath)
    {
        var segments = requestPath.Trim('/').Split('/');
        var name = string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase) ? "get" : method.ToLowerInvariant();
        foreach (var path in _document.GetProperty("paths").EnumerateObject())
        {
            var template = path.Name.Trim('/').Split('/');
            if (template.Length == segments.Length
                && template.Zip(segments).All(pair => pair.First.StartsWith('{') ? Guid.TryParseExact(pair.Second, "D", out _) : pair.First == pair.Second)
                && path.Value.TryGetProperty(name, out var operation))
            {
                return (path.Name, name, operation);
            }
        }
        return null;
    }

    private bool TryResponse(JsonElement responses, string responsesPointer, int status, out JsonElement response, out string pointer)
    {
        foreach (var key in new[] { status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{status / 100}XX", "default" })
        {
            if (responses.TryGetProperty(key, out response))
            {
                (response, pointer) = Resolve(response, $"{responsesPointer}/{key}");
                return true;
            }
        }
        response = default;
        pointer = "";
        return false;
    }

    // A response given as {"$ref": "#/components/responses/X"} is read where it points.
    private (JsonElement Element, string Pointer) Resolve(JsonElement element, string fallbackPointer)
    {
        if (!element.TryGetProperty("$ref", out var reference))
        {
            return (element, fallbackPointer);
        }
        var target = reference.GetString()!.TrimStart('#');
        var node = _document;
        foreach (var part in target.Trim('/').Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }
        return (node, "#" + target);
    }

    private void CheckHeaders(JsonElement response, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, string where, List<string> problems)
    {
        if (!response.TryGetProperty("headers", out var declared))
        {
            return;
        }
        foreach (var header in declared.EnumerateObject())
        {
            var (definition, _) = Resolve(header.Value, "");
            var required = definition.TryGetProperty("required", out var flag) && flag.GetBoolean();
            var present = headers.NonValidated.Contains(header.Name) || (contentHeaders?.NonValidated.Contains(header.Name) ?? false);
            if (required && !present)
            {
                problems.Add($"{where}: the required header {header.Name} is missing.");
            }
        }
    }

    private void CheckBody(string pointer, byte[] body, string where, List<string> problems)
    {
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException exception)
        {
            problems.Add($"{where}: the body is not JSON ({exception.Message}).");
            return;
        }
        var schema = _schemas.GetOrAdd(pointer, key =>
            JsonSchema.FromText($$"""{"$ref": "{{_baseUri}}{{key}}"}""", _buildOptions));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var details = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
                .Take(5);
            problems.Add($"{where}: the body does not match the schema at {pointer}: {string.Join("; ", details)}. Body: {Truncate(body)}");
        }
    }

    // A JSON pointer segment, percent-encoded for the URI fragment it is used in ("+" of problem+json included).
    private static string Escape(string name) =>
        Uri.EscapeDataString(name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));

    private static string Truncate(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length <= 400 ? text : text[..400] + "...";
    }
}
