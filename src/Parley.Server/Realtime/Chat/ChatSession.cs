using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Sessions;
using Parley.Server.Storage;
using Parley.Server.Wire;

namespace Parley.Server.Realtime.Chat;

/// <summary>
/// The channels one <c>/ws/chat</c> socket has joined, and for each the last <c>seq</c> it was sent, so that
/// replay and live delivery meet without a gap or a duplicate.
/// </summary>
internal sealed class ChatSession(SocketConnection connection, ChannelHub hub, ChatService chat, int maxSendsInFlight) : IChannelSubscriber
{
    // Created with the first send: most sockets of a big room only read.
    private SemaphoreSlim? _sendSlots;
    private Task _previousAnswer = Task.CompletedTask;

    // Replaced, never mutated: a socket joins a handful of channels, so a small array searched in place costs
    // an idle socket far less than a dictionary and a lock, and a delivery looks up its channel without a lock.
    private JoinedChannel[] _joined = [];

    public SocketConnection Connection { get; } = connection;

    public AuthenticatedUser User => Connection.User!;

    public Guid SocketId => Connection.Id;

    public long UserId => User.Id;

    public JoinedChannel? Joined(long channelId) => Find(Volatile.Read(ref _joined), channelId);

    /// <summary>
    /// Waits for room among this socket's sends in flight (the reader stops reading meanwhile, which is the
    /// socket's back-pressure); pass the started send's completion to <see cref="TrackSend"/>.
    /// </summary>
    public Task WaitForSendSlotAsync() =>
        (_sendSlots ??= new SemaphoreSlim(Math.Max(1, maxSendsInFlight))).WaitAsync();

    /// <summary>
    /// Frees the send's slot once it completes, and answers the sender when it was refused or a retry, in the order
    /// the sends were started: an answer never overtakes an earlier send's echo (published when that one completed).
    /// Called by the socket's reader only, one frame at a time.
    /// </summary>
    public void TrackSend(Task<ChatResult<SentMessage>> completion, string? requestId) =>
        _previousAnswer = AnswerInOrderAsync(_previousAnswer, completion, requestId);

    private async Task AnswerInOrderAsync(Task previous, Task<ChatResult<SentMessage>> completion, string? requestId)
    {
        await previous;
        try
        {
            AnswerSend(await completion, requestId);
        }
        catch (OperationCanceledException)
        {
            // The socket is gone (its token cancelled the send before the write started): nobody to answer.
        }
        catch (Exception)
        {
            Connection.Send(RequestIds.Stamp(ChatFrames.Internal, requestId));
        }
        finally
        {
            ReleaseSendSlot();
        }
    }

    /// <summary>
    /// Sends an answer to a frame once the sends started before it are answered (at once when none is in flight), so
    /// that a pipelining client gets echoes and errors in the order of its frames. The reader waits meanwhile, so no
    /// later send can start, and be echoed, first. Called by the socket's reader only.
    /// </summary>
    public async Task AnswerAsync(byte[] frame)
    {
        if (!_previousAnswer.IsCompleted)
        {
            await _previousAnswer;
        }
        Connection.Send(frame);
    }

    /// <summary>Completes when every send started so far has completed and been answered.</summary>
    public Task AnswersOfPendingSendsAsync() => _previousAnswer;

    /// <summary>Frees a slot taken by <see cref="WaitForSendSlotAsync"/> for a send that never started.</summary>
    public void ReleaseSendSlot() => _sendSlots!.Release();

    /// <summary>The sender's answer beyond the echo every subscriber gets: an error, or the original again for a retry.</summary>
    private void AnswerSend(ChatResult<SentMessage> sent, string? requestId)
    {
        if (!sent.IsSuccess)
        {
            Connection.Send(RequestIds.Stamp(ChatFrames.Error(sent.Error!), requestId));
        }
        else if (!sent.Value!.Created)
        {
            // A retry: the sender gets the original again; nobody else hears of it.
            Connection.Send(RequestIds.Stamp(ChatFrames.NewMessage(sent.Value.Message.ToChatMessage()), requestId));
        }
    }

    private static JoinedChannel? Find(JoinedChannel[] joined, long channelId)
    {
        foreach (var channel in joined)
        {
            if (channel.Channel.Id == channelId)
            {
                return channel;
            }
        }
        return null;
    }

    /// <summary>
    /// Subscribes (or re-subscribes) and answers <c>joined_channel</c>, then one <c>user_presence</c> online for
    /// every other user online in the channel; with <paramref name="since"/>, replays the stored messages after it
    /// (at most <see cref="ChatOptions.MaxReplay"/>, the newest, after a <c>replay_truncated</c> marker) before any live
    /// one. Live events that arrive meanwhile wait, so none overtakes the snapshot or the replay.
    /// </summary>
    public async Task JoinAsync(ChannelRecord channel, long? since, string? requestId, CancellationToken cancellationToken)
    {
        var (joined, isNew) = FindOrAdd(channel);
        joined.BeginReplay();
        long upTo = isNew ? await hub.SubscribeAsync(channel, this, cancellationToken) : joined.Delivered;
        // Read after subscribing: whoever comes or goes from now on is announced to this socket (held until the
        // snapshot is out), and a user's presence is recorded before it is announced, so nobody falls in between.
        var online = await chat.ListOnlineAsync(channel.Id, exceptUserId: UserId);
        if (isNew)
        {
            // Before joined_channel: once a client sees it, presence (here and the server API's) counts it in.
            await chat.SocketJoinedAsync(User.Id, User.Username, channel, SocketId);
        }
        Connection.Send(RequestIds.Stamp(ChatFrames.Joined(channel.Id, upTo), requestId));
        foreach (var user in online)
        {
            Connection.Send(ChatFrames.Of(new PresenceChanged(user.UserId, user.Username, channel.Id, channel.WorkspaceId, Online: true)), droppable: true);
        }
        try
        {
            if (since is { } after && after < upTo)
            {
                var start = await chat.BoundReplayAsync(channel.Id, after, upTo, cancellationToken);
                if (start > after)
                {
                    Connection.Send(ChatFrames.ReplayTruncated(channel.Id, after + 1, start));
                }
                await foreach (var message in chat.ReplayAsync(channel.Id, start, upTo, cancellationToken))
                {
                    Connection.Send(ChatFrames.NewMessage(message.ToChatMessage()));
                }
            }
        }
        finally
        {
            joined.EndReplay(upTo, Connection);
        }
    }

    private (JoinedChannel Joined, bool IsNew) FindOrAdd(ChannelRecord channel)
    {
        while (true)
        {
            var current = Volatile.Read(ref _joined);
            if (Find(current, channel.Id) is { } existing)
            {
                return (existing, false);
            }
            // The hub's record of the channel when it has one: channels do not change (but for their last seq,
            // which a session does not read), so the sockets in a channel need not each keep a copy.
            var joined = new JoinedChannel(hub.Shared(channel));
            if (Interlocked.CompareExchange(ref _joined, [.. current, joined], current) == current)
            {
                return (joined, true);
            }
        }
    }

    /// <summary>Unsubscribes; false when the socket had not joined.</summary>
    public async Task<bool> LeaveAsync(long channelId)
    {
        if (Detach(channelId) is not { } joined)
        {
            return false;
        }
        await chat.SocketLeftAsync(User.Id, User.Username, joined.Channel, SocketId);
        return true;
    }

    /// <summary>Stops the channel's events reaching this socket, at once; null when it had not joined.</summary>
    private JoinedChannel? Detach(long channelId)
    {
        while (true)
        {
            var current = Volatile.Read(ref _joined);
            var joined = Find(current, channelId);
            if (joined is null)
            {
                return null;
            }
            if (Interlocked.CompareExchange(ref _joined, [.. current.Where(j => j != joined)], current) == current)
            {
                hub.Unsubscribe(channelId, this);
                return joined;
            }
        }
    }

    public async Task LeaveAllAsync()
    {
        foreach (var joined in Volatile.Read(ref _joined))
        {
            await LeaveAsync(joined.Channel.Id);
        }
    }

    public void DeliverMessage(long channelId, long seq, byte[] frame, RequestOrigin? origin)
    {
        // This socket's own send, asked with a requestId: its echo carries the id, in the same pass as every other
        // subscriber's copy, so it keeps its place in the channel's order. Everyone else shares the one encoding.
        if (origin is not null && origin.SocketId == SocketId)
        {
            frame = RequestIds.Stamp(frame, origin.RequestId);
        }
        Joined(channelId)?.Deliver(seq, frame, Connection);
    }

    public void Deliver(long channelId, byte[] frame, bool droppable) => Joined(channelId)?.DeliverEvent(frame, droppable, Connection);

    public void ForceLeave(long channelId)
    {
        // Detached here, on the bus callback: a removal is confirmed to whoever made it once every node has
        // handled its event, so the socket must stop hearing the channel now. The callback must not block, so
        // presence and the frame follow off that path.
        if (Detach(channelId) is not { } joined)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            Connection.Send(ChatFrames.Left(channelId));
            await chat.SocketLeftAsync(User.Id, User.Username, joined.Channel, SocketId);
        });
    }

    internal sealed class JoinedChannel(ChannelRecord channel)
    {
        private readonly Lock _gate = new();
        // Seq 0 marks an event other than a message (presence, typing, receipts, deletions).
        private List<(long Seq, byte[] Frame, bool Droppable)>? _held;

        public ChannelRecord Channel { get; } = channel;

        /// <summary>The newest seq this socket was sent (by replay or live) or skipped by joining.</summary>
        public long Delivered { get; private set; }

        public void BeginReplay()
        {
            lock (_gate)
            {
                _held ??= [];
            }
        }

        public void EndReplay(long upTo, SocketConnection connection)
        {
            lock (_gate)
            {
                Delivered = Math.Max(Delivered, upTo);
                foreach (var (seq, frame, droppable) in _held ?? [])
                {
                    if (seq == 0)
                    {
                        connection.Send(frame, droppable);
                    }
                    else
                    {
                        SendLocked(seq, frame, connection);
                    }
                }
                _held = null;
            }
        }

        public void Deliver(long seq, byte[] frame, SocketConnection connection)
        {
            lock (_gate)
            {
                if (_held is not null)
                {
                    _held.Add((seq, frame, false));
                    return;
                }
                SendLocked(seq, frame, connection);
            }
        }

        public void DeliverEvent(byte[] frame, bool droppable, SocketConnection connection)
        {
            lock (_gate)
            {
                if (_held is not null)
                {
                    _held.Add((0, frame, droppable));
                    return;
                }
                connection.Send(frame, droppable);
            }
        }

        private void SendLocked(long seq, byte[] frame, SocketConnection connection)
        {
            if (seq > Delivered)
            {
                Delivered = seq;
                connection.Send(frame);
            }
        }
    }
}
