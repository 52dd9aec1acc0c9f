using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Server.Operations;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// The multi-node bus: an event is delivered to this node's listeners directly, then published on one
/// Redis channel for the other nodes, which skip their own publications by node id.
/// </summary>
/// <remarks>
/// Publishing is fire-and-forget so that a slow or unreachable Redis never delays a sender's
/// acknowledgement: the event is already stored (messages) or ephemeral (typing, presence). Nodes that
/// miss a <see cref="MessageCreated"/> catch up from the store by <c>seq</c> (see <see cref="RedisScaleOutService"/>).
/// Redis delivers one connection's publications in order, and this node reads them in order.
/// </remarks>
public sealed class RedisMessageBus(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    NodeIdentity node,
    IEnumerable<IChatEventListener> listeners,
    IOptions<RedisOptions> options,
    ParleyMetrics metrics,
    ILogger<RedisMessageBus> logger) : IMessageBus, IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IChatEventListener[] _listeners = [.. listeners];
    private readonly PublicationFence _fence = new();
    private readonly ConcurrentDictionary<Guid, PendingConfirmation> _pending = new();
    private ChannelMessageQueue? _subscription;
    private ChannelMessageQueue? _confirmations;

    public ValueTask PublishAsync(ChatEvent chatEvent) => PublishAsync(chatEvent, confirm: false);

    private ValueTask PublishAsync(ChatEvent chatEvent, bool confirm)
    {
        var epoch = _fence.Enter();
        try
        {
            DeliverLocally(chatEvent);
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new BusEnvelope(node.Id, chatEvent, confirm), Json);
                redis.GetSubscriber().Publish(keys.Events, payload, CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                metrics.BusFailed("publish");
                RedisLog.PublishFailed(logger, chatEvent.GetType().Name, ex);
            }
        }
        finally
        {
            _fence.Exit(epoch);
        }
        return ValueTask.CompletedTask;
    }

    public async Task<bool> PublishConfirmedAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.ConfirmTimeout;
        HashSet<Guid> expected;
        try
        {
            expected = await LiveOtherNodesAsync().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Without Redis nobody else can hear it now: deliver here, and the others catch up when it is back.
            RedisLog.PublishFailed(logger, chatEvent.GetType().Name, ex);
            await PublishAsync(chatEvent);
            return false;
        }
        if (expected.Count == 0)
        {
            await PublishAsync(chatEvent);
            return true;
        }
        // Registered before publishing, so that a confirmation faster than this thread is not missed.
        var pending = new PendingConfirmation(expected);
        _pending[chatEvent.EventId] = pending;
        try
        {
            await PublishAsync(chatEvent, confirm: true);
            await pending.Completed.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            RedisLog.ConfirmationMissing(logger, chatEvent.GetType().Name, pending.Missing, expected.Count, timeout);
            return false;
        }
        finally
        {
            _pending.TryRemove(chatEvent.EventId, out _);
        }
    }

    /// <summary>The other nodes whose liveness key exists: those that must confirm.</summary>
    private async Task<HashSet<Guid>> LiveOtherNodesAsync()
    {
        var db = redis.GetDatabase();
        var others = (await db.SetMembersAsync(keys.Nodes))
            .Select(m => Guid.TryParseExact(m.ToString(), "N", out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty && id != node.Id)
            .ToList();
        var alive = await Task.WhenAll(others.Select(id => db.KeyExistsAsync(keys.NodeAlive(id))));
        return [.. others.Where((_, i) => alive[i])];
    }

    /// <summary>
    /// Publishes <paramref name="chatEvent"/> after every publication this node had already delivered locally
    /// has been handed to Redis, so that other nodes receive those before this one (see <see cref="PublicationFence"/>).
    /// </summary>
    public async Task PublishAfterInFlightAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        await _fence.WaitForInFlightAsync(cancellationToken);
        await PublishAsync(chatEvent);
    }

    /// <summary>Delivers to this node's listeners only (used for corrections found by resynchronizing).</summary>
    public void DeliverLocally(ChatEvent chatEvent)
    {
        foreach (var listener in _listeners)
        {
            listener.OnEvent(chatEvent);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await redis.GetSubscriber().SubscribeAsync(keys.Events);
        // OnMessage handles messages one at a time, in the order Redis delivered them.
        _subscription.OnMessage(message =>
        {
            BusEnvelope? envelope;
            try
            {
                envelope = JsonSerializer.Deserialize<BusEnvelope>((byte[])message.Message!, Json);
            }
            catch (JsonException ex)
            {
                metrics.BusFailed("decode");
                RedisLog.BadEnvelope(logger, ex);
                return;
            }
            if (envelope is not null && envelope.Node != node.Id)
            {
                DeliverLocally(envelope.Event);
                if (envelope.Confirm)
                {
                    // Listeners apply events synchronously, so by now the event holds on this node.
                    redis.GetSubscriber().Publish(keys.Confirmations(envelope.Node), $"{envelope.Event.EventId:N}|{node.Id:N}", CommandFlags.FireAndForget);
                }
            }
        });
        _confirmations = await redis.GetSubscriber().SubscribeAsync(keys.Confirmations(node.Id));
        _confirmations.OnMessage(message =>
        {
            var text = message.Message.ToString();
            var bar = text.IndexOf('|');
            if (bar > 0 && Guid.TryParseExact(text[..bar], "N", out var eventId) && Guid.TryParseExact(text[(bar + 1)..], "N", out var from)
                && _pending.TryGetValue(eventId, out var pending))
            {
                pending.Confirm(from);
            }
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
        if (_confirmations is not null)
        {
            await _confirmations.UnsubscribeAsync();
        }
    }
}
