using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Server.Operations;
using Parley.Server.Storage;
using StackExchange.Redis;

using Parley.Server.Fanout.Wire;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// The multi-node bus: an event is delivered to this node's listeners directly, then sent to the inboxes of the
/// other nodes that serve it (one pub/sub channel per node), which skip their own publications by node id. A node
/// receives only what it has sockets for: a workspace's events go to the nodes in its interest set, a user's
/// membership changes also to the nodes in that user's, a DM's events to the nodes of its two users (typing before
/// a DM exists: the recipient's), and the other events of no workspace (revocations, profile changes, gateway
/// hand-offs, a DM's presence) to every node (see <see cref="RedisBusInterest"/>).
/// </summary>
/// <remarks>
/// Choosing the nodes and publishing happen in one Redis script (<see cref="DeliverScript"/>), atomically, so an
/// interest registered before a publication is seen by it: a socket's node registers its user's interests before
/// its first store read, so whatever is committed after that read reaches it. Membership additions also copy the
/// user's nodes into the workspace's set in the same script, so a member added anywhere gets the workspace's next
/// events on every node that serves them. Publishing is fire-and-forget (except for those and for
/// <see cref="PublishConfirmedAsync"/>) so that a slow or unreachable Redis never delays a sender's acknowledgement:
/// the event is already stored (messages) or ephemeral (typing, presence). Nodes that miss a
/// <see cref="MessageCreated"/> catch up from the store by <c>seq</c> (see <see cref="RedisScaleOutService"/>).
/// Redis runs scripts one at a time and writes each node's inbox in that order, and a node reads its inbox in
/// order, so the order of events from one publisher is kept.
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
    /// <summary>
    /// KEYS: the interest sets to deliver to. ARGV: inbox prefix, liveness key prefix, payload, and "1" to first add
    /// the nodes of KEYS[2..] to KEYS[1]. Publishes once to every live node found; returns their ids.
    /// </summary>
    private const string DeliverScript = """
        if ARGV[4] == '1' then redis.call('SUNIONSTORE', KEYS[1], unpack(KEYS)) end
        local seen, live = {}, {}
        for _, key in ipairs(KEYS) do
          for _, n in ipairs(redis.call('SMEMBERS', key)) do
            if not seen[n] then
              seen[n] = true
              if redis.call('EXISTS', ARGV[2] .. n) == 1 then
                redis.call('PUBLISH', ARGV[1] .. n, ARGV[3])
                live[#live + 1] = n
              end
            end
          end
        end
        return live
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IChatEventListener[] _listeners = [.. listeners];
    private readonly PublicationFence _fence = new();
    private readonly ConcurrentDictionary<Guid, PendingConfirmation> _pending = new();
    private ChannelMessageQueue? _subscription;
    private ChannelMessageQueue? _confirmations;

    public ValueTask PublishAsync(ChatEvent chatEvent)
    {
        var route = Route(chatEvent);
        var sent = Send(chatEvent, route, confirm: false, awaited: route.AddsNodes);
        return sent is null ? ValueTask.CompletedTask : new ValueTask(AwaitSentAsync(chatEvent, sent));
    }

    private async Task AwaitSentAsync(ChatEvent chatEvent, Task<RedisResult> sent)
    {
        try
        {
            await sent.WaitAsync(options.Value.ConfirmTimeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            metrics.BusFailed("publish");
            RedisLog.PublishFailed(logger, chatEvent.GetType().Name, ex);
        }
    }

    /// <summary>
    /// Delivers locally, then hands the event to Redis: fire-and-forget unless <paramref name="awaited"/>, in which case
    /// the script's task is returned (its result: the ids of the nodes it was sent to).
    /// </summary>
    private Task<RedisResult>? Send(ChatEvent chatEvent, EventRoute route, bool confirm, bool awaited)
    {
        var epoch = _fence.Enter();
        try
        {
            DeliverLocally(chatEvent);
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new BusEnvelope(node.Id, BusEventMapping.ToBus(chatEvent), confirm), Json);
                RedisValue[] arguments = [keys.InboxPrefix, keys.NodeAlivePrefix, payload, route.AddsNodes ? "1" : "0"];
                var db = redis.GetDatabase();
                if (awaited)
                {
                    return db.ScriptEvaluateAsync(DeliverScript, route.Keys, arguments);
                }
                db.ScriptEvaluate(DeliverScript, route.Keys, arguments, CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                metrics.BusFailed("publish");
                RedisLog.PublishFailed(logger, chatEvent.GetType().Name, ex);
            }
            return null;
        }
        finally
        {
            _fence.Exit(epoch);
        }
    }

    /// <summary>The interest sets whose nodes get <paramref name="chatEvent"/>.</summary>
    private EventRoute Route(ChatEvent chatEvent) => chatEvent switch
    {
        // The user's nodes join the workspace's set in the same script, before its next event can be published.
        MemberAdded added => new([keys.Interest(BusInterest.Workspace(added.Workspace)), keys.Interest(BusInterest.User(added.UserId))], AddsNodes: true),
        WorkspaceCreated created => new([keys.Interest(BusInterest.Workspace(created.Workspace.Id)), keys.Interest(BusInterest.User(created.Workspace.OwnerId))], AddsNodes: true),
        MemberRemoved removed => new([keys.Interest(BusInterest.Workspace(removed.Workspace)), keys.Interest(BusInterest.User(removed.UserId))], AddsNodes: false),
        { WorkspaceId: { } workspaceId } => new([keys.Interest(BusInterest.Workspace(workspaceId))], AddsNodes: false),
        // A DM's events go to the nodes serving one of its two users: only their sockets may hear of it.
        MessageCreated { Channel.IsDm: true } created => DmRoute(created.Channel),
        MessageUpdated { Channel.IsDm: true } updated => DmRoute(updated.Channel),
        MessageDeleted { Channel.IsDm: true } deleted => DmRoute(deleted.Channel),
        MessageRead { Channel.IsDm: true } read => DmRoute(read.Channel),
        TypingChanged { Channel.IsDm: true } typing => DmRoute(typing.Channel),
        PinChanged { Channel.IsDm: true } pin => DmRoute(pin.Channel),
        ChannelCreated { Channel.IsDm: true } opened => DmRoute(opened.Channel),
        DirectTypingStarted typing => new([keys.Interest(BusInterest.User(typing.RecipientId))], AddsNodes: false),
        _ => new([keys.Nodes], AddsNodes: false),
    };

    private EventRoute DmRoute(ChannelRecord dm) => dm is { DmUserLow: { } low, DmUserHigh: { } high }
        ? new([keys.Interest(BusInterest.User(low)), keys.Interest(BusInterest.User(high))], AddsNodes: false)
        : new([keys.Nodes], AddsNodes: false);

    private readonly record struct EventRoute(RedisKey[] Keys, bool AddsNodes);

    public async Task<bool> PublishConfirmedAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.ConfirmTimeout;
        // Registered before publishing, so that a confirmation faster than the script's answer is not missed.
        var pending = new PendingConfirmation();
        _pending[chatEvent.EventId] = pending;
        try
        {
            var sent = Send(chatEvent, Route(chatEvent), confirm: true, awaited: true);
            if (sent is null)
            {
                return false;
            }
            RedisResult reached;
            try
            {
                reached = await sent.WaitAsync(timeout, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Without Redis nobody else can hear it now: it holds here, and the others catch up when it is back.
                RedisLog.PublishFailed(logger, chatEvent.GetType().Name, ex);
                return false;
            }
            var expected = ((RedisResult[])reached!)
                .Select(r => Guid.TryParseExact(r.ToString(), "N", out var id) ? id : Guid.Empty)
                .Where(id => id != Guid.Empty && id != node.Id)
                .ToList();
            pending.Expect(expected);
            try
            {
                await pending.Completed.WaitAsync(timeout, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                RedisLog.ConfirmationMissing(logger, chatEvent.GetType().Name, pending.Missing, expected.Count, timeout);
                return false;
            }
        }
        finally
        {
            _pending.TryRemove(chatEvent.EventId, out _);
        }
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
        _subscription = await redis.GetSubscriber().SubscribeAsync(keys.Inbox(node.Id));
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
                metrics.BusReceived();
                DeliverLocally(BusEventMapping.ToChatEvent(envelope.Event));
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
