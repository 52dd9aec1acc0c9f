using Microsoft.Extensions.Options;
using Parley.Protocol.Direct;
using Parley.Server.Fanout;
using Parley.Server.Wire;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// Routes bus events of DM channels to this node's <c>/messagepal</c> sockets, by user: a DM channel names
/// its two users, and <see cref="ConnectionRegistry"/> knows each user's sockets on this node. Whichever way a
/// DM was sent (<c>/messagepal</c>, <c>/ws/chat</c>, HTTP, another node), it arrives here as the same event.
/// </summary>
/// <remarks>
/// Recipients are chosen when the event is published (never a database query per socket). Encoding needs the
/// sender's role, which may need one store read on a cold cache, so deliveries go through one ordered queue:
/// every socket receives a conversation's events in publish order, and a read receipt never overtakes the
/// message it is about. Each event is encoded once, whatever the number of recipients.
/// </remarks>
internal sealed class DirectHub : BackgroundService, IChatEventListener
{
    private readonly ConnectionRegistry _registry;
    private readonly UserProfileCache _profiles;
    private readonly TimeProvider _time;
    private readonly ILogger<DirectHub> _logger;
    private readonly OrderedDeliveryQueue<DirectDelivery> _queue;

    public DirectHub(ConnectionRegistry registry, UserProfileCache profiles, IOptions<RealtimeOptions> options, TimeProvider time, ILogger<DirectHub> logger)
    {
        _registry = registry;
        _profiles = profiles;
        _time = time;
        _logger = logger;
        _queue = new OrderedDeliveryQueue<DirectDelivery>(options.Value.DeliveryQueueCapacity);
    }

    public void OnEvent(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case MessageCreated { Channel.IsDm: true } created:
                Enqueue(created, created.Channel.DmUserLow!.Value, created.Channel.DmUserHigh!.Value);
                break;
            case MessageUpdated { Channel.IsDm: true } updated:
                Enqueue(updated, updated.Channel.DmUserLow!.Value, updated.Channel.DmUserHigh!.Value);
                break;
            case MessageDeleted { Channel.IsDm: true } deleted:
                Enqueue(deleted, deleted.Channel.DmUserLow!.Value, deleted.Channel.DmUserHigh!.Value);
                break;
            case MessageRead { Channel.IsDm: true } read:
                Enqueue(read, read.ReaderId, read.AuthorId);
                break;
            case TypingChanged { Channel.IsDm: true, Started: true } typing when typing.Channel.IsDmParticipant(typing.UserId):
                // Only the other user hears it: never the typer, never a third party.
                Enqueue(typing, typing.Channel.DmPartnerOf(typing.UserId));
                break;
            case DirectTypingStarted typing:
                Enqueue(typing, typing.RecipientId);
                break;
        }
    }

    private void Enqueue(ChatEvent chatEvent, params ReadOnlySpan<long> userIds)
    {
        var sockets = new List<SocketConnection>();
        for (var i = 0; i < userIds.Length; i++)
        {
            if (i > 0 && userIds[..i].Contains(userIds[i]))
            {
                continue;
            }
            foreach (var socket in _registry.OfUser(userIds[i]))
            {
                if (socket.ProtocolState is DirectSession)
                {
                    sockets.Add(socket);
                }
            }
        }
        if (sockets.Count > 0 && !_queue.TryEnqueue(new DirectDelivery(chatEvent, [.. sockets])))
        {
            DirectLog.QueueFull(_logger, chatEvent.GetType().Name, sockets.Count);
            foreach (var socket in sockets)
            {
                socket.Close(Protocol.CloseCodes.RateLimited, "Server too busy; reconnect");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in _queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                var frame = await EncodeAsync(delivery.Event, stoppingToken);
                var droppable = delivery.Event is TypingChanged or DirectTypingStarted;
                // The sending socket's copy of its own message carries its requestId; everyone else shares one encoding.
                var origin = (delivery.Event as MessageCreated)?.Origin;
                foreach (var socket in delivery.Sockets)
                {
                    socket.Send(origin is not null && origin.SocketId == socket.Id ? RequestIds.Stamp(frame, origin.RequestId) : frame, droppable);
                }
            }
            catch (Exception ex)
            {
                DirectLog.DeliveryFailed(_logger, delivery.Event.GetType().Name, ex);
            }
        }
    }

    private async ValueTask<byte[]> EncodeAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        switch (chatEvent)
        {
            case MessageCreated created:
                var sender = await _profiles.GetAsync(created.Message.AuthorId, cancellationToken);
                return created.Frames.GetOrAdd(WireShape.Direct, (created, role: sender?.Role ?? "student", now), static state =>
                    DirectFrames.MessageReceived(
                        state.created.Message.ToDirectMessage([], state.created.Channel, state.role),
                        state.now));
            case MessageUpdated updated:
                var author = await _profiles.GetAsync(updated.Message.AuthorId, cancellationToken);
                return updated.Frames.GetOrAdd(WireShape.Direct, (updated, role: author?.Role ?? "student", now), static state =>
                    DirectFrames.MessageUpdated(
                        state.updated.Message.ToDirectMessage(state.updated.ReadBy, state.updated.Channel, state.role),
                        state.now));
            case MessageDeleted deleted:
                return deleted.Frames.GetOrAdd(WireShape.Direct, (deleted, now), static state => DirectFrames.Deleted(
                    new DirectDeletedPayload(DirectMessageWire.WireId(state.deleted.MessageId), DirectMessageWire.ConversationOf(state.deleted.Channel)), state.now));
            case MessageRead read:
                return read.Frames.GetOrAdd(WireShape.Direct, (read, now), static state => DirectFrames.Read(
                    new DirectReadPayload(DirectMessageWire.WireId(state.read.MessageId), state.read.ReaderId, state.read.ReadAt,
                        DirectMessageWire.ConversationOf(state.read.Channel)), state.now));
            case TypingChanged typing:
                return typing.Frames.GetOrAdd(WireShape.Direct, (typing, now), static state => DirectFrames.Typing(
                    new DirectTypingPayload(state.typing.UserId, state.typing.Username, state.typing.Channel.DmPartnerOf(state.typing.UserId)), state.now));
            case DirectTypingStarted typing:
                return typing.Frames.GetOrAdd(WireShape.Direct, (typing, now), static state => DirectFrames.Typing(
                    new DirectTypingPayload(state.typing.UserId, state.typing.Username, state.typing.RecipientId), state.now));
            default:
                throw new InvalidOperationException($"{chatEvent.GetType().Name} is not routed to /messagepal.");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Complete();
        await base.StopAsync(cancellationToken);
    }
}
