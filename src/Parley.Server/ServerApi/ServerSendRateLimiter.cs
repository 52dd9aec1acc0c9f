using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Parley.Server.Chat;

namespace Parley.Server.ServerApi;

/// <summary>
/// The server API's own send bound (<see cref="ServerApiOptions.MessagesPerSecond"/>): one token bucket for every
/// message it publishes on this node, whoever the author. It replaces the author's per-user bucket for those sends.
/// </summary>
public sealed class ServerSendRateLimiter : ISendRateLimiter, IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly TokenBucketRateLimiter _limiter;

    public ServerSendRateLimiter(IOptions<ServerApiOptions> options) =>
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.MessagesPerSecond,
            TokensPerPeriod = options.Value.MessagesPerSecond,
            ReplenishmentPeriod = Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    public ValueTask<TimeSpan?> TryAcquireAsync(long userId)
    {
        using var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult<TimeSpan?>(null);
        }
        return ValueTask.FromResult<TimeSpan?>(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Period);
    }

    public void Dispose() => _limiter.Dispose();
}
