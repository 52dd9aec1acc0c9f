using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Parley.Server.Chat;

/// <summary>One token bucket per user (System.Threading.RateLimiting), shared by every way of sending.</summary>
public sealed class SendRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter;
    private readonly TimeSpan _period;

    public SendRateLimiter(IOptions<RateLimitOptions> options)
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

    /// <summary>Takes a token; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(long userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _period;
    }

    public void Dispose() => _limiter.Dispose();
}
