using System.Net.WebSockets;
using Parley.Client.Internal;
using Parley.Protocol.Chat;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    // Guarded by _gate: the channels the client is in or joining, with the last seq delivered in each.
    private readonly Dictionary<long, ChannelState> _channels = [];

    /// <summary>The ids of the channels the client has joined or is joining.</summary>
    public IReadOnlyCollection<long> Channels
    {
        get
        {
            lock (_gate)
            {
                return [.. _channels.Keys];
            }
        }
    }

    /// <summary>The highest seq delivered in <paramref name="channelId"/> (the <c>since</c> of the next rejoin); null when not joined.</summary>
    public long? GetLastSeq(long channelId)
    {
        lock (_gate)
        {
            return _channels.GetValueOrDefault(channelId)?.LastSeq;
        }
    }

    /// <summary>
    /// Joins a channel and completes with the server's <c>joined_channel</c>. The client stays in it across
    /// reconnects until <see cref="LeaveAsync"/>. With <paramref name="since"/>, the server first replays every
    /// message after that seq (for an application that stored how far it had read); without it, delivery
    /// starts with the next new message. Joining a channel already joined returns its last confirmation and
    /// ignores <paramref name="since"/>. Called while disconnected, the join waits for the connection.
    /// </summary>
    /// <exception cref="ParleyRequestException">The channel does not exist or the user may not read it.</exception>
    public async Task<JoinedChannelEvent> JoinAsync(long channelId, long? since = null, CancellationToken cancellationToken = default)
    {
        if (since < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(since), since, "A seq is never negative.");
        }
        PendingRequest request;
        lock (_gate)
        {
            ThrowIfUnusableLocked();
            if (_channels.TryGetValue(channelId, out var channel) && channel.Joined is { } joined && channel.Join is null)
            {
                return joined;
            }
            request = StartJoinLocked(channelId, since);
        }
        return (JoinedChannelEvent)(await AwaitAsync(request, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The join under way for <paramref name="channelId"/>, or a new one queued now.</summary>
    private PendingRequest StartJoinLocked(long channelId, long? since)
    {
        if (!_channels.TryGetValue(channelId, out var channel))
        {
            _channels[channelId] = channel = new ChannelState(channelId, since);
        }
        if (channel.Join is { } pending)
        {
            return pending;
        }
        channel.Join = PendingRequest.Join(channelId);
        EnqueueLocked(channel.Join);
        return channel.Join;
    }

    /// <summary>
    /// Leaves a channel: no more events from it, and no rejoin after a reconnect. Sends to it still waiting in
    /// the outbox fail with <see cref="InvalidOperationException"/>. While connected, completes with the
    /// server's <c>left_channel</c>; while disconnected, at once (the server forgot the subscription with the
    /// socket). Leaving a channel not joined does nothing.
    /// </summary>
    public async Task LeaveAsync(long channelId, CancellationToken cancellationToken = default)
    {
        PendingRequest? request = null;
        List<PendingRequest> dropped;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_channels.Remove(channelId))
            {
                return;
            }
            // Requests already written get their answer all the same; the others are dropped.
            dropped = [.. _outbox.Where(r => r.ChannelId == channelId && r.WrittenOn is null && r.Kind != RequestKind.Leave)];
            RemoveLocked(dropped);
            if (_session is { IsReady: true })
            {
                request = PendingRequest.Leave(channelId);
                EnqueueLocked(request);
            }
        }
        var left = new InvalidOperationException($"Left channel {channelId} before the request was sent.");
        foreach (var pending in dropped)
        {
            if (pending.IsRejoin)
            {
                pending.Completion.TrySetResult(null);
            }
            else
            {
                pending.Completion.TrySetException(left);
            }
        }
        if (request is not null)
        {
            await AwaitAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a message to a channel and completes with the stored message (its id, seq and time) when the
    /// server's echo arrives. A channel not joined is joined first (as <see cref="JoinAsync"/> without
    /// <c>since</c>), and the client stays in it. Each call gets a fresh <c>clientMsgId</c>: if the connection drops before the
    /// echo, the send waits in the outbox and goes out again after reconnecting, and the server stores it at
    /// most once. Sends are pipelined: up to <see cref="ParleyClientOptions.MaxSendsInFlight"/> are on the wire at
    /// once, each completing with its own echo or error, and they are stored in the order of the calls. A send
    /// refused with <c>rate_limited</c> fails with a <see cref="ParleyRequestException"/> of that code and is not
    /// tried again by itself (a retry would land behind the sends made after it). Cancelling stops the wait; a
    /// send not yet written is then dropped, one already written may still be stored.
    /// </summary>
    /// <param name="channelId">The channel; joined first when it is not joined or being joined.</param>
    /// <param name="content">The text, 1 to 4,000 characters after trimming.</param>
    /// <param name="messageType"><c>text</c>, <c>file</c> or <c>image</c>.</param>
    /// <param name="fileUrl">An http(s) URL for file and image messages.</param>
    /// <param name="clientMsgId">
    /// (ext) The idempotency key (1 to 64 characters); by default a fresh one. Pass the id of an earlier send to send
    /// it again without the risk of storing it twice: the server answers a repeated id with the message it stored
    /// then (the same id and seq), and stores nothing new. The default suits every send made once.
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ArgumentException">The frame would exceed <see cref="ParleyClientOptions.MaxFrameBytes"/>.</exception>
    /// <exception cref="ParleyRequestException">The server refused the message: for example <c>rate_limited</c> (sent too fast; send it again
    /// later if it should still go out), <c>forbidden</c> in an announcement channel, or the refusal of the join this send
    /// started (<c>not_found</c>, <c>forbidden</c>).</exception>
    /// <exception cref="ParleyConnectionClosedException">The connection closed for good (4001) before the echo.</exception>
    public async Task<ChatMessage> SendAsync(long channelId, string content, string messageType = "text", string? fileUrl = null, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageType);
        if (clientMsgId is { Length: 0 or > MaxClientMsgIdLength })
        {
            throw new ArgumentOutOfRangeException(nameof(clientMsgId), clientMsgId, $"A clientMsgId has 1 to {MaxClientMsgIdLength} characters.");
        }
        PendingRequest request;
        lock (_gate)
        {
            ThrowIfUnusableLocked();
            if (!_channels.ContainsKey(channelId))
            {
                // As the web client does: the send joins first, and waits for the answer like any send. Nobody awaits
                // this join; a refusal reaches the caller through the send, which fails with the join's error.
                var join = StartJoinLocked(channelId, since: null);
                join.Completion.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            if (clientMsgId is not null && _pendingSends.TryGetValue(clientMsgId, out var same) && same.ChannelId == channelId)
            {
                // The same send still waits for its answer: one frame is enough, both callers get the message.
                request = same;
            }
            else
            {
                request = PendingRequest.Send(channelId, content, messageType, fileUrl, clientMsgId ?? Guid.NewGuid().ToString("N"));
                if (ClientFrames.SendMessage(channelId, content, messageType, fileUrl, request.ClientMsgId!, LongestRequestId).Length > _options.MaxFrameBytes)
                {
                    throw new ArgumentException($"The message is larger than {_options.MaxFrameBytes} bytes on the wire.", nameof(content));
                }
                EnqueueLocked(request);
            }
        }
        return (ChatMessage)(await AwaitAsync(request, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Tells the channel's other users that this user is typing. Best effort: does nothing while the channel is
    /// not joined on the current connection (typing is not worth queueing) and completes once written.
    /// </summary>
    public Task TypingAsync(long channelId, CancellationToken cancellationToken = default) => SendTypingAsync(channelId, started: true, cancellationToken);

    /// <summary>(ext) Tells the channel's other users that this user stopped typing; best effort, as <see cref="TypingAsync"/>.</summary>
    public Task StopTypingAsync(long channelId, CancellationToken cancellationToken = default) => SendTypingAsync(channelId, started: false, cancellationToken);

    private async Task SendTypingAsync(long channelId, bool started, CancellationToken cancellationToken)
    {
        SocketSession? session;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Only where the join was confirmed on this very socket: elsewhere the server would only refuse it (and
            // a server without request ids would have the error taken for the answer to a request in flight).
            session = _channels.TryGetValue(channelId, out var channel) && channel.JoinedOn is { } joinedOn && joinedOn == _session ? joinedOn : null;
        }
        if (session is null)
        {
            return;
        }
        try
        {
            await session.WriteAsync(ClientFrames.Typing(channelId, started, session.NextRequestId()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The connection dropped meanwhile; a stale typing notice is not worth resending.
        }
    }

    /// <summary>The longest clientMsgId the server accepts.</summary>
    private const int MaxClientMsgIdLength = 64;

    /// <summary>As long as any requestId a connection's counter makes ("r" and a 64-bit number), for the size check.</summary>
    private const string LongestRequestId = "r18446744073709551615";

    private void ThrowIfUnusableLocked()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state == ParleyConnectionState.Closed)
        {
            throw new ParleyConnectionClosedException(_closeStatus, _closeDescription);
        }
    }
}
