using System.Threading.RateLimiting;
using InvoiceApi.Functions.Api.Auth;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace InvoiceApi.Functions.Api.Limits;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by caller: one token bucket per authenticated user, a burst of up to the
/// per-minute limit refilled one request at a time, so the sustained rate is the limit per minute. Runs after the caller
/// gate; open paths (health, OpenAPI) have no caller and are never limited. Over the limit: 429 problem+json with
/// <c>Retry-After</c>.
/// </summary>
internal static class CallerRateLimit
{
    public static void AddCallerRateLimit(this IServiceCollection services, RateLimitSettings settings)
    {
        if (!settings.Enabled)
        {
            return;
        }
        var interval = TimeSpan.FromMinutes(1) / settings.PerMinute;
        // Built by the container, so the limiter (and its replenishing timer) is disposed with the host.
        services.AddSingleton(_ => PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Features.Get<Caller>() is { } caller
                ? RateLimitPartition.GetTokenBucketLimiter(caller.MemberId, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.PerMinute,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = interval,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter("")));
        services.AddRateLimiter(options => options.OnRejected = (rejected, _) =>
        {
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : interval;
            return new ValueTask(ProblemWriter.WriteAsync(rejected.HttpContext, new Problem(
                StatusCodes.Status429TooManyRequests, ProblemTypes.TooManyRequests, "Too many requests",
                $"This caller may make {settings.PerMinute} requests per minute; retry after the time in Retry-After.")
            {
                RetryAfter = retryAfter,
            }));
        });
        services.AddOptions<RateLimiterOptions>().Configure<PartitionedRateLimiter<HttpContext>>((options, limiter) => options.GlobalLimiter = limiter);
    }

    public static void UseCallerRateLimit(this IApplicationBuilder app, RateLimitSettings settings)
    {
        if (settings.Enabled)
        {
            app.UseRateLimiter();
        }
    }
}
