using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;
using Parley.Server.Wire;

namespace Parley.Server.Realtime.Chat;

/// <summary>
/// Routes bus events to this node's <c>/ws/chat</c> subscribers by channel. Every event is encoded once,
/// whatever the number of recipients.
/// </summary>
internal sealed class ChannelHub(ChatQueries queries, IOptions<RealtimeOptions> options, TimeProvider time, ILogger<ChannelHub> logger) : IChatEventListener, IBusGapRecovery
{
    // Most messages one gap-fill read returns; a longer gap takes several reads.
    private const int MaxFillPage = 500;

    private readonly Dictionary<long, ChannelSubscribers> _channels = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Subscribes a socket, then reads the channel's newest seq from the store: every message after it
    /// reaches the subscriber live, every message up to it is in the store (for replay).
    /// </summary>
    public async Task<long> SubscribeAsync(ChannelRecord channel, IChannelSubscriber subscriber, CancellationToken cancellationToken)
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
        var lastSeq = (await queries.GetChannelAsync(channel.Id, cancellationToken))?.LastSeq ?? channel.LastSeq;
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
                if (subscribers.Offer(created.Message.Seq, ChatFrames.Of(created), created.Origin))
                {
                    ScheduleGapFillIfNeeded(subscribers);
                }
                break;
            case MessageDeleted deleted:
                Find(deleted.Channel.Id)?.Broadcast(ChatFrames.Of(deleted), droppable: false);
                break;
            case MessageUpdated updated:
                // Not sequenced: an edit keeps its message's seq, and replay (by seq) never sends it again.
                Find(updated.Channel.Id)?.Broadcast(ChatFrames.Of(updated), droppable: false);
                break;
            case PinChanged pin:
                Find(pin.Channel.Id)?.Broadcast(ChatFrames.Of(pin), droppable: false);
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
    public async Task<IReadOnlyList<ChatEvent>> RecoverAsync(BusRecovery kind, CancellationToken cancellationToken)
    {
        ChannelSubscribers[] channels;
        lock (_lock)
        {
            channels = [.. _channels.Values];
        }
        // One query per batch of channels: the cost follows the channels followed here, divided by the batch.
        foreach (var batch in channels.Chunk(options.Value.ResyncBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lastSeqs = await queries.GetLastSeqsAsync([.. batch.Select(s => s.Channel.Id)], cancellationToken);
            foreach (var subscribers in batch)
            {
                // Read after the store's answer: what arrived meanwhile is delivered already, and every seq up to
                // the stored one was committed before the query.
                if (subscribers.LastSeq is not { } last || !lastSeqs.TryGetValue(subscribers.Channel.Id, out var stored) || stored <= last)
                {
                    continue;
                }
                await OfferFromStoreAsync(subscribers, last, stored + 1, cancellationToken);
                ScheduleGapFillIfNeeded(subscribers);
            }
        }
        return [];
    }

    /// <summary>
    /// Offers the stored messages with a seq between <paramref name="after"/> and <paramref name="before"/>
    /// (both exclusive; every seq before <paramref name="before"/> is committed), then skips exactly the seqs
    /// of that range the store lacks (deleted), as far as the read reached.
    /// </summary>
    private async Task OfferFromStoreAsync(ChannelSubscribers subscribers, long after, long before, CancellationToken cancellationToken)
    {
        var span = before - after - 1;
        if (span <= 0)
        {
            return;
        }
        var limit = (int)Math.Min(span, MaxFillPage);
        // Deleted rows are not returned, so the page may run past `before`; what is returned is contiguous
        // in seq order from `after` on, which tells how far the range is known.
        var page = await queries.ListMessagesAfterSeqAsync(subscribers.Channel.Id, after, limit, cancellationToken);
        var missing = page.Where(m => m.Message.Seq < before).ToList();
        foreach (var message in missing)
        {
            subscribers.Offer(message.Message.Seq, ChatFrames.NewMessage(message.ToChatMessage()));
        }
        var known = page.Count == limit && page[^1].Message.Seq < before ? page[^1].Message.Seq : before - 1;
        subscribers.SkipAbsent(known, missing.Select(m => m.Message.Seq).ToHashSet());
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
            // Each round offers what the store has in the gap and skips what it lacks, so the gap's start
            // moves on every round and the loop ends.
            while (subscribers.Gap() is { } gap)
            {
                // No caller's token: the fill serves every subscriber of the channel, whoever's message opened the gap.
                await OfferFromStoreAsync(subscribers, gap.After, gap.Before, CancellationToken.None);
                if (subscribers.Gap() == gap)
                {
                    // Cannot happen (the store has every seq below a published one, or it was deleted);
                    // stop rather than spin, and let the next message or resync try again.
                    RealtimeLog.GapNotFilled(logger, subscribers.Channel.Id, gap.After, gap.Before);
                    break;
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
