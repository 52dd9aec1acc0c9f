using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Server.Storage;

namespace Parley.Server.Operations;

/// <summary>Ready when the store answers a cheap query (<see cref="IChatStore.PingAsync"/>).</summary>
public sealed class StoreHealthCheck(IChatStore store) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // WaitAsync: a query stuck on a dead connection must not outlive the check's timeout.
        await store.PingAsync(cancellationToken).WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
