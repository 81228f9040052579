using Microsoft.AspNetCore.Http;

namespace Stats.Operations;

/// <summary><c>GET /openapi.json</c>: the OpenAPI 3.1 document of this function, embedded at build time (open, no token).</summary>
internal sealed class ServeOpenApi : IStatsOperation
{
    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(ServeOpenApi).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("The embedded resource openapi.json is missing from the Stats build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = Document.Value.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(Document.Value, context.RequestAborted);
        }
    }
}
