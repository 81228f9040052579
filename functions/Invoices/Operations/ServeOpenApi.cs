using Microsoft.AspNetCore.Http;

namespace Invoices.Operations;

/// <summary>
/// GET /openapi.json: the OpenAPI 3.1 document of this function, a static file embedded in the assembly (no reflection,
/// Native AOT safe). Open without a token; a test checks real responses against it.
/// </summary>
internal sealed class ServeOpenApi : IInvoiceOperation
{
    private static readonly Lazy<byte[]> Document = new(Load);

    public async Task HandleAsync(HttpContext context, Guid id)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "public, max-age=300";
        response.ContentLength = Document.Value.Length;
        await response.Body.WriteAsync(Document.Value, context.RequestAborted);
    }

    internal static byte[] Load()
    {
        using var stream = typeof(ServeOpenApi).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("The embedded resource openapi.json is missing from the Invoices assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
