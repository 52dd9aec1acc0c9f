using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// This node's entries in Redis's interest sets (<see cref="RedisKeys.Interest"/>): one set of node ids per
/// workspace and per user, which publishers read to choose the nodes they send an event to
/// (<see cref="RedisMessageBus"/>). Changes are queued to Redis in the order they are made (one connection keeps
/// that order), so an add made after a remove of the same interest wins.
/// </summary>
/// <remarks>
/// Each set this node joins is also listed under the node (<see cref="RedisKeys.NodeInterests"/>), so that the node
/// that sweeps up after it dies can take it out of every one. A node's entries are asserted again when the Redis
/// connection comes back and at every thorough resync, since changes queued while Redis was away may have been lost.
/// </remarks>
public sealed class RedisBusInterest(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    NodeIdentity node,
    IOptions<RedisOptions> options,
    ILogger<RedisBusInterest> logger) : IBusInterest
{
    private readonly HashSet<BusInterest> _held = [];
    private readonly Lock _lock = new();
    private Task _lastAdd = Task.CompletedTask;

    /// <summary>How many interests this node holds (for tests and logs).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    public void Add(BusInterest interest)
    {
        lock (_lock)
        {
            if (_held.Add(interest))
            {
                _lastAdd = Register(interest);
            }
        }
    }

    public void Remove(BusInterest interest)
    {
        lock (_lock)
        {
            if (!_held.Remove(interest))
            {
                return;
            }
            try
            {
                var db = redis.GetDatabase();
                var key = keys.Interest(interest);
                db.SetRemove(key, node.Id.ToString("N"), CommandFlags.FireAndForget);
                db.SetRemove(keys.NodeInterests(node.Id), key.ToString(), CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // Left in the set: publishers send this node a few events it drops. Cleared when it is swept.
                RedisLog.InterestFailed(logger, ex);
            }
        }
    }

    public async Task<bool> RegisteredAsync()
    {
        Task last;
        lock (_lock)
        {
            last = _lastAdd;
        }
        try
        {
            await last.WaitAsync(options.Value.ConfirmTimeout);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            RedisLog.InterestFailed(logger, ex);
            return false;
        }
    }

    /// <summary>Adds every held interest again (after an outage, and at each thorough resync); completes when Redis has them.</summary>
    public Task<bool> ReassertAsync()
    {
        lock (_lock)
        {
            foreach (var interest in _held)
            {
                _lastAdd = Register(interest);
            }
        }
        return RegisteredAsync();
    }

    private Task Register(BusInterest interest)
    {
        try
        {
            var db = redis.GetDatabase();
            var key = keys.Interest(interest);
            // Listed under the node first, so that a sweep after this node dies finds every set it joined.
            db.SetAdd(keys.NodeInterests(node.Id), key.ToString(), CommandFlags.FireAndForget);
            return db.SetAddAsync(key, node.Id.ToString("N"));
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            return Task.FromException(ex);
        }
    }
}
