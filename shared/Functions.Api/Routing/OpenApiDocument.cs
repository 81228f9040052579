using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api.Routing;

/// <summary>
/// <c>GET /openapi.json</c>: the function's OpenAPI 3.1 document, a static file embedded in its assembly as
/// <c>openapi.json</c> (no reflection over the code, Native AOT safe). Open without a token.
/// </summary>
internal sealed class OpenApiDocument(Assembly functionAssembly) : IRouteHandler
{
    private readonly Lazy<byte[]> _document = new(() => Load(functionAssembly));

    public Task<IResult> HandleAsync(HttpContext context, RouteMatch route)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Task.FromResult<IResult>(TypedResults.Bytes(_document.Value, "application/json; charset=utf-8"));
    }

    internal static byte[] Load(Assembly functionAssembly)
    {
        using var stream = functionAssembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException($"The embedded resource openapi.json is missing from {functionAssembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
