using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Parley.Server.Chat;

/// <summary>
/// One token bucket per user in this process (System.Threading.RateLimiting), shared by every way of
/// sending. Correct for a single node; several nodes share buckets through Redis instead.
/// </summary>
public sealed class LocalSendRateLimiter : ISendRateLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter;
    private readonly TimeSpan _period;

    public LocalSendRateLimiter(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _period = o.ReplenishmentPeriod;
        _limiter = PartitionedRateLimiter.Create<long, long>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.TokenLimit,
            TokensPerPeriod = o.TokensPerPeriod,
            ReplenishmentPeriod = o.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public ValueTask<TimeSpan?> TryAcquireAsync(long userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult<TimeSpan?>(null);
        }
        return ValueTask.FromResult<TimeSpan?>(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _period);
    }

    public void Dispose() => _limiter.Dispose();
}
