using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// Keeps a node a good citizen of the cluster: renews its liveness key, cleans up after nodes that died
/// without saying goodbye (announcing their users offline), and catches up from the store whatever this
/// node may have missed on the bus — periodically, and at once when the Redis connection comes back.
/// </summary>
public sealed class RedisScaleOutService(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    NodeIdentity node,
    RedisPresenceTracker presence,
    RedisMessageBus bus,
    RedisBusInterest interest,
    IEnumerable<IBusGapRecovery> recoveries,
    IOptions<RedisOptions> options,
    ILogger<RedisScaleOutService> logger) : BackgroundService
{
    private readonly RedisOptions _options = options.Value;
    private readonly SemaphoreSlim _recovering = new(1, 1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await db.StringSetAsync(keys.NodeAlive(node.Id), "1", _options.NodeExpiry);
        await db.SetAddAsync(keys.Nodes, node.Id.ToString("N"));
        redis.ConnectionRestored += OnRestored;
        redis.ConnectionFailed += OnFailed;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastResync = DateTime.UtcNow;
        var lastThoroughResync = DateTime.UtcNow;
        using var timer = new PeriodicTimer(_options.NodeHeartbeatInterval < _options.ResyncInterval ? _options.NodeHeartbeatInterval : _options.ResyncInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(keys.NodeAlive(node.Id), "1", _options.NodeExpiry).WaitAsync(_options.NodeHeartbeatInterval, stoppingToken);
                await SweepDeadNodesAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever Redis does (time-outs surface as several exception types, cancellations included),
                // this loop must go on: an exception escaping a BackgroundService stops the whole node.
                RedisLog.BackgroundFailed(logger, ex);
            }
            if (DateTime.UtcNow - lastResync >= _options.ResyncInterval)
            {
                lastResync = DateTime.UtcNow;
                var thorough = lastResync - lastThoroughResync >= _options.ThoroughResyncInterval;
                if (thorough)
                {
                    lastThoroughResync = lastResync;
                }
                await RecoverAsync(thorough ? BusRecovery.Thorough : BusRecovery.Periodic, stoppingToken);
            }
        }
    }

    private async Task SweepDeadNodesAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        foreach (var member in await db.SetMembersAsync(keys.Nodes))
        {
            if (!Guid.TryParseExact(member.ToString(), "N", out var other) || other == node.Id || await db.KeyExistsAsync(keys.NodeAlive(other)))
            {
                continue;
            }
            // One surviving node cleans up; the lock expires in case that node dies too.
            if (!await db.StringSetAsync(keys.NodeSweepLock(other), node.Id.ToString("N"), TimeSpan.FromSeconds(30), When.NotExists))
            {
                continue;
            }
            var entries = await db.SetMembersAsync(keys.NodePresence(other));
            foreach (var text in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (RedisPresenceTracker.Deserialize(text.ToString()) is { } entry && await presence.RemoveForNodeAsync(entry, other))
                {
                    await bus.PublishAsync(new PresenceChanged(entry.UserId, entry.Username, entry.ChannelId, entry.WorkspaceId, Online: false));
                }
            }
            await db.KeyDeleteAsync(keys.NodePresence(other));
            foreach (var set in await db.SetMembersAsync(keys.NodeInterests(other)))
            {
                await db.SetRemoveAsync(set.ToString(), member);
            }
            await db.KeyDeleteAsync(keys.NodeInterests(other));
            await db.SetRemoveAsync(keys.Nodes, member);
            RedisLog.SweptNode(logger, other, entries.Length);
        }
    }

    private async Task RecoverAsync(BusRecovery kind, CancellationToken cancellationToken)
    {
        // A periodic check skips a turn while another runs; a thorough one (after an outage) waits its turn.
        if (kind == BusRecovery.Thorough)
        {
            await _recovering.WaitAsync(cancellationToken);
        }
        else if (!await _recovering.WaitAsync(0, cancellationToken))
        {
            return;
        }
        try
        {
            if (kind == BusRecovery.Thorough)
            {
                // Interest changes queued while Redis was away may be lost: what this node serves, registered again
                // before the store is read, so that nothing committed after the read bypasses this node.
                await interest.ReassertAsync();
            }
            foreach (var recovery in recoveries)
            {
                foreach (var correction in await recovery.RecoverAsync(kind, cancellationToken))
                {
                    bus.DeliverLocally(correction);
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            RedisLog.BackgroundFailed(logger, ex);
        }
        finally
        {
            _recovering.Release();
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        RedisLog.Restored(logger, e.FailureType.ToString());
        _ = Task.Run(async () =>
        {
            // The liveness key may have expired while Redis was away: renew it before anything else.
            await redis.GetDatabase().StringSetAsync(keys.NodeAlive(node.Id), "1", _options.NodeExpiry);
            await redis.GetDatabase().SetAddAsync(keys.Nodes, node.Id.ToString("N"));
            await RecoverAsync(BusRecovery.Thorough, CancellationToken.None);
        });
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e) => RedisLog.Failed(logger, e.FailureType.ToString());

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnRestored;
        redis.ConnectionFailed -= OnFailed;
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(keys.NodeAlive(node.Id)).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisLog.BackgroundFailed(logger, ex);
        }
    }
}
