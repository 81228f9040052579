using System.Text.Json;
using InvoiceApi.Functions.Api.Problems;
using Invoices.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Invoices.Input;

/// <summary>A request body read as JSON (with its bytes, for idempotency hashes), or the problem (415, 400) that says why it could not be.</summary>
internal sealed record JsonBody(JsonDocument? Document, byte[] Bytes, Problem? Problem)
{
    internal const string Json = "application/json";
    internal const string MergePatchJson = "application/merge-patch+json";

    /// <summary>
    /// Reads the whole body as one JSON document when its Content-Type is one of <paramref name="mediaTypes"/> (charset,
    /// if given, UTF-8). The host's body limit (1 MiB) ends an oversize body with 413 before it is parsed.
    /// </summary>
    internal static async Task<JsonBody> ReadAsync(HttpRequest request, IReadOnlyList<string> mediaTypes, CancellationToken cancellationToken)
    {
        if (!IsAccepted(request.ContentType, mediaTypes))
        {
            return new JsonBody(null, [], InvoiceProblems.UnsupportedContentType(request.ContentType, string.Join(" or ", mediaTypes)));
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : "";
            return new JsonBody(null, bytes, InvoiceProblems.MalformedBody($"The body is not well-formed JSON{where}."));
        }
        if (!JsonUnicode.IsDecodable(document.RootElement))
        {
            // Checked once here, so no reader further on meets a string it cannot read.
            document.Dispose();
            return new JsonBody(null, bytes, InvoiceProblems.MalformedBody(
                "The body holds a string or field name that is not valid Unicode (a \\u escape of a lone surrogate such as \\ud800)."));
        }
        return new JsonBody(document, bytes, null);
    }

    internal static bool IsAccepted(string? contentType, IReadOnlyList<string> mediaTypes)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }
        var charsetOk = !parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return charsetOk && mediaTypes.Any(type => parsed.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase));
    }
}
