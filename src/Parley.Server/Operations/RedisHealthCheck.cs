using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Parley.Server.Operations;

/// <summary>Ready when Redis answers a PING; registered only when <c>Redis:Configuration</c> is set.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "redis";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.###} ms");
    }
}
