using InvoiceApi.Functions.Hosting.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InvoiceApi.Functions.Hosting;

/// <summary>Opens a logging scope carrying the request's trace, so every line logged for the request correlates in Cloud Logging.</summary>
internal sealed class RequestTraceMiddleware(RequestDelegate next, ILogger<RequestTraceMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var trace = CloudTrace.FromHeaders(context.Request.Headers);
        if (trace is null)
        {
            await next(context);
            return;
        }
        using (logger.BeginScope(trace))
        {
            await next(context);
        }
    }
}
