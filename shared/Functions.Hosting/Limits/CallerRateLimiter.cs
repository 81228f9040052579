using System.Threading.RateLimiting;

namespace InvoiceApi.Functions.Hosting.Limits;

/// <summary>
/// One token bucket per caller: a burst of up to the per-minute limit, refilled one request at a time so the
/// sustained rate is the limit per minute. Idle callers' buckets are dropped by the partitioned limiter.
/// </summary>
internal sealed class CallerRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CallerRateLimiter(RateLimitSettings settings)
    {
        PerMinute = settings.PerMinute;
        Interval = TimeSpan.FromMinutes(1) / PerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetTokenBucketLimiter(
            userId,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = PerMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = Interval,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public int PerMinute { get; }

    /// <summary>How long one request takes to come back.</summary>
    public TimeSpan Interval { get; }

    public RateLimitLease Acquire(string userId) => _limiter.AttemptAcquire(userId);

    public void Dispose() => _limiter.Dispose();
}
