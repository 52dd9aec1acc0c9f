using System.Text.Json;
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
    ParleyMetrics metrics,
    ILogger<RedisMessageBus> logger) : IMessageBus, IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IChatEventListener[] _listeners = [.. listeners];
    private readonly PublicationFence _fence = new();
    private ChannelMessageQueue? _subscription;

    public ValueTask PublishAsync(ChatEvent chatEvent)
    {
        var epoch = _fence.Enter();
        try
        {
            DeliverLocally(chatEvent);
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new BusEnvelope(node.Id, chatEvent), Json);
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
            }
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }
}
