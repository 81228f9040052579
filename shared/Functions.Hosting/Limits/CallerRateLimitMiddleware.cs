using System.Threading.RateLimiting;
using InvoiceApi.Functions.Hosting.Auth;
using InvoiceApi.Functions.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace InvoiceApi.Functions.Hosting.Limits;

/// <summary>
/// Answers 429 with <c>Retry-After</c> once a caller has spent its requests for the minute. Runs after the caller gate,
/// so it counts per authenticated user; open paths (health, OpenAPI) have no caller and are never limited.
/// </summary>
internal sealed class CallerRateLimitMiddleware(RequestDelegate next, CallerRateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<Caller>() is not { } caller)
        {
            await next(context);
            return;
        }
        using var lease = limiter.Acquire(caller.UserId);
        if (lease.IsAcquired)
        {
            await next(context);
            return;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limiter.Interval;
        await ProblemWriter.WriteAsync(context, new Problem(
            StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests, "Too many requests",
            $"This caller may make {limiter.PerMinute} requests per minute; retry after the time in Retry-After.")
        {
            RetryAfter = retryAfter,
        });
    }
}
