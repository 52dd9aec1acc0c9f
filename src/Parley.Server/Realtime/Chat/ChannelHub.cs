using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Realtime.Chat;

/// <summary>
/// Routes bus events to this node's <c>/ws/chat</c> subscribers by channel. Every event is encoded once,
/// whatever the number of recipients.
/// </summary>
internal sealed class ChannelHub(IChatStore store, IOptions<RealtimeOptions> options, TimeProvider time, ILogger<ChannelHub> logger) : IChatEventListener, IBusGapRecovery
{
    private readonly Dictionary<long, ChannelSubscribers> _channels = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Subscribes a socket, then reads the channel's newest seq from the store: every message after it
    /// reaches the subscriber live, every message up to it is in the store (for replay).
    /// </summary>
    public async Task<long> SubscribeAsync(ChannelRecord channel, IChannelSubscriber subscriber)
    {
        ChannelSubscribers subscribers;
        lock (_lock)
        {
            if (!_channels.TryGetValue(channel.Id, out subscribers!))
            {
                _channels[channel.Id] = subscribers = new ChannelSubscribers(channel);
            }
            subscribers.Add(subscriber);
        }
        var lastSeq = (await store.GetChannelAsync(channel.Id))?.LastSeq ?? channel.LastSeq;
        subscribers.Initialize(lastSeq);
        ScheduleGapFillIfNeeded(subscribers);
        return lastSeq;
    }

    /// <summary>The record of the channel this node already holds, or <paramref name="channel"/> when none.</summary>
    public ChannelRecord Shared(ChannelRecord channel)
    {
        lock (_lock)
        {
            return _channels.TryGetValue(channel.Id, out var subscribers) ? subscribers.Channel : channel;
        }
    }

    public void Unsubscribe(long channelId, IChannelSubscriber subscriber)
    {
        lock (_lock)
        {
            if (_channels.TryGetValue(channelId, out var subscribers) && subscribers.Remove(subscriber))
            {
                _channels.Remove(channelId);
            }
        }
    }

    private ChannelSubscribers? Find(long channelId)
    {
        lock (_lock)
        {
            return _channels.GetValueOrDefault(channelId);
        }
    }

    public void OnEvent(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case MessageCreated created when Find(created.Channel.Id) is { } subscribers:
                if (subscribers.Offer(created.Message.Seq, ChatFrames.Of(created)))
                {
                    ScheduleGapFillIfNeeded(subscribers);
                }
                break;
            case MessageDeleted deleted:
                Find(deleted.Channel.Id)?.Broadcast(ChatFrames.Of(deleted), droppable: false);
                break;
            case MessageRead read:
                Find(read.Channel.Id)?.Broadcast(ChatFrames.Of(read), droppable: false, exceptSocketId: read.OriginSocketId);
                break;
            case TypingChanged typing:
                Find(typing.Channel.Id)?.Broadcast(ChatFrames.Of(typing), droppable: true, exceptUserId: typing.UserId);
                break;
            case PresenceChanged presence:
                Find(presence.ChannelId)?.Broadcast(ChatFrames.Of(presence), droppable: true, exceptUserId: presence.UserId);
                break;
            case MemberRemoved removed:
                foreach (var (channelId, subscriber) in SubscribersOf(removed.Workspace, removed.UserId))
                {
                    subscriber.ForceLeave(channelId);
                }
                break;
        }
    }

    private List<(long ChannelId, IChannelSubscriber Subscriber)> SubscribersOf(long workspaceId, long userId)
    {
        ChannelSubscribers[] channels;
        lock (_lock)
        {
            channels = [.. _channels.Values.Where(c => c.Channel.WorkspaceId == workspaceId)];
        }
        return [.. channels.SelectMany(c => c.OfUser(userId).Select(s => (c.Channel.Id, s)))];
    }

    /// <summary>
    /// Delivers, for every channel followed here, the stored messages newer than the last one delivered:
    /// those whose publication this node missed and that no later message has revealed as a gap yet.
    /// </summary>
    public async Task<IReadOnlyList<ChatEvent>> RecoverAsync(CancellationToken cancellationToken)
    {
        ChannelSubscribers[] channels;
        lock (_lock)
        {
            channels = [.. _channels.Values];
        }
        foreach (var subscribers in channels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (subscribers.LastSeq is not { } last || await store.GetChannelAsync(subscribers.Channel.Id) is not { } channel || channel.LastSeq <= last)
            {
                continue;
            }
            await OfferFromStoreAsync(subscribers, last, channel.LastSeq + 1);
            ScheduleGapFillIfNeeded(subscribers);
        }
        return [];
    }

    private async Task<IReadOnlyList<StoredMessage>> OfferFromStoreAsync(ChannelSubscribers subscribers, long after, long before)
    {
        var missing = await store.ListMessagesAfterSeqAsync(subscribers.Channel.Id, after, (int)Math.Min(before - after - 1, 500));
        var readers = await store.GetReadersAsync(missing);
        foreach (var message in missing.Where(m => m.Seq < before))
        {
            subscribers.Offer(message.Seq, ChatFrames.NewMessage(ChatService.ToWire(message, readers.GetValueOrDefault(message.Id) ?? [])));
        }
        return missing;
    }

    private void ScheduleGapFillIfNeeded(ChannelSubscribers subscribers)
    {
        lock (_lock)
        {
            if (subscribers.GapFillScheduled || subscribers.Gap() is null)
            {
                return;
            }
            subscribers.GapFillScheduled = true;
        }
        _ = FillGapAfterDelayAsync(subscribers);
    }

    private async Task FillGapAfterDelayAsync(ChannelSubscribers subscribers)
    {
        try
        {
            await Task.Delay(options.Value.GapFillDelay, time);
            while (subscribers.Gap() is { } gap)
            {
                var (after, before) = gap;
                var missing = await OfferFromStoreAsync(subscribers, after, before);
                if (missing.Count == 0 || missing[^1].Seq >= before - 1)
                {
                    // What the store does not have was deleted before anyone here saw it.
                    subscribers.SkipTo(before);
                }
            }
        }
        catch (Exception ex)
        {
            RealtimeLog.GapFillFailed(logger, subscribers.Channel.Id, ex);
        }
        finally
        {
            lock (_lock)
            {
                subscribers.GapFillScheduled = false;
            }
            ScheduleGapFillIfNeeded(subscribers);
        }
    }
}
