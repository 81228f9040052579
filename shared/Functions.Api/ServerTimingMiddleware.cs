using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Api;

/// <summary>
/// <c>Server-Timing: app;dur=&lt;ms&gt;</c> on every response: how long the function took from the request's arrival in
/// the pipeline to the start of its response. Latency as the server sees it, apart from the network and the client,
/// for benchmarks, browser developer tools and anyone comparing it with the load balancer's figure. Metrics the function
/// set on the header itself come after it.
/// </summary>
internal sealed class ServerTimingMiddleware(RequestDelegate next)
{
    public const string HeaderName = "Server-Timing";

    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var app = string.Create(CultureInfo.InvariantCulture, $"app;dur={milliseconds:0.###}");
            // A function may have named metrics of its own (cache;desc=hit): they follow the host's.
            var own = context.Response.Headers[HeaderName];
            context.Response.Headers[HeaderName] = own.Count == 0 ? app : $"{app}, {own}";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
