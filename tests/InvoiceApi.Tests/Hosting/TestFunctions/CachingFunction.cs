using InvoiceApi.Functions.Framework;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Tests.Hosting.TestFunctions;

/// <summary>A careless function that marks every answer cacheable by anyone, to prove the host overrides it for caller data.</summary>
public sealed class CachingFunction : IHttpFunction
{
    public const string CacheControl = "public, max-age=3600";

    public Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = CacheControl;
        return context.Response.WriteAsync("cacheable?", context.RequestAborted);
    }
}
