using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// The per-user token bucket kept in Redis, so a user's sends on every node draw from one bucket. It
/// refills whole periods like <see cref="System.Threading.RateLimiting.TokenBucketRateLimiter"/>, on Redis's
/// clock. If Redis does not answer promptly, the node's own bucket decides (availability over exactness).
/// </summary>
public sealed class RedisSendRateLimiter(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<RateLimitOptions> options,
    LocalSendRateLimiter fallback,
    ILogger<RedisSendRateLimiter> logger) : ISendRateLimiter
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    // Returns -1 when a token was taken, else the milliseconds until the next refill.
    private static readonly LuaScript TakeScript = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local capacity = tonumber(@capacity)
        local per = tonumber(@perPeriod)
        local period = tonumber(@periodMs)
        local state = redis.call('HMGET', @bucket, 'tokens', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil then tokens = capacity; ts = now end
        local periods = math.floor((now - ts) / period)
        if periods > 0 then
          tokens = math.min(capacity, tokens + periods * per)
          ts = ts + periods * period
        end
        local result = -1
        if tokens >= 1 then tokens = tokens - 1 else result = period - (now - ts) end
        redis.call('HSET', @bucket, 'tokens', tokens, 'ts', ts)
        redis.call('PEXPIRE', @bucket, period * (math.ceil(capacity / per) + 1))
        return result
        """);

    private readonly RateLimitOptions _options = options.Value;

    public async ValueTask<TimeSpan?> TryAcquireAsync(long userId)
    {
        try
        {
            var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(TakeScript, new
            {
                bucket = keys.RateLimit(userId),
                capacity = _options.TokenLimit,
                perPeriod = _options.TokensPerPeriod,
                periodMs = (long)_options.ReplenishmentPeriod.TotalMilliseconds,
            }).WaitAsync(Timeout);
            return result < 0 ? null : TimeSpan.FromMilliseconds(Math.Max(1, result));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisLog.RateLimiterUnavailable(logger, ex);
            return await fallback.TryAcquireAsync(userId);
        }
    }
}
