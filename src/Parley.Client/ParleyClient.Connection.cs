using System.Buffers;
using System.Net.WebSockets;
using Parley.Client.Internal;
using Parley.Protocol;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    private SocketSession? _session; // guarded by _gate

    /// <summary>
    /// Connects, runs the connection until it ends, and reconnects with backoff, until stopped or closed with
    /// a code that forbids reconnecting.
    /// </summary>
    private async Task RunAsync(TaskCompletionSource firstConnected, CancellationToken abort)
    {
        SetState(new ParleyStateChangedEventArgs(ParleyConnectionState.Connecting));
        var attempt = 0;
        while (true)
        {
            Exception? error = null;
            int? closeStatus = null;
            string? closeDescription = null;
            var ready = false;
            try
            {
                var socket = await _credentials.ConnectAsync(ChatPath, _options.ConnectTimeout, _options, abort).ConfigureAwait(false);
                using var session = new SocketSession(socket);
                ready = await RunSessionAsync(session, firstConnected, abort).ConfigureAwait(false);
                closeStatus = (int?)socket.CloseStatus;
                closeDescription = socket.CloseStatusDescription;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                error = ex;
            }
            catch (OperationCanceledException)
            {
            }
            if (_stopRequested || abort.IsCancellationRequested)
            {
                return;
            }
            if (closeStatus is { } code && !CloseCodes.ShouldReconnect(code))
            {
                var closed = new ParleyConnectionClosedException(code, closeDescription);
                SetState(new ParleyStateChangedEventArgs(ParleyConnectionState.Closed, code, closeDescription));
                FailPending(closed);
                firstConnected.TrySetException(closed);
                return;
            }
            if (!firstConnected.Task.IsCompleted)
            {
                // The first connection never came up: tell the caller of ConnectAsync instead of retrying blindly.
                SetState(new ParleyStateChangedEventArgs(ParleyConnectionState.Disconnected, closeStatus, closeDescription, error));
                firstConnected.TrySetException(error ?? new ParleyConnectionClosedException(closeStatus, closeDescription));
                return;
            }
            if (ready)
            {
                attempt = 0;
            }
            var delay = _backoff.Delay(attempt++);
            SetState(new ParleyStateChangedEventArgs(ParleyConnectionState.Reconnecting, closeStatus, closeDescription, error, delay));
            try
            {
                await Task.Delay(delay, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads one socket until it ends; true when the server confirmed it with <c>connected</c>.</summary>
    private async Task<bool> RunSessionAsync(SocketSession session, TaskCompletionSource firstConnected, CancellationToken abort)
    {
        lock (_gate)
        {
            _session = session;
        }
        using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(abort, session.Lost);
        var pump = Task.CompletedTask;
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (await WebSocketFrames.ReceiveAsync(session.Socket, buffer, abort).ConfigureAwait(false))
            {
                if (!session.IsReady && OnReady(session, buffer.WrittenMemory))
                {
                    pump = PumpAsync(session, pumpStop.Token);
                    firstConnected.TrySetResult();
                }
                Dispatch(session, buffer.WrittenMemory);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped, aborted (request timeout, keep-alive timeout) or stopped: RunAsync tells which.
        }
        finally
        {
            session.MarkLost();
            await pump.ConfigureAwait(false);
            OnSessionLost();
        }
        return session.IsReady;
    }

    /// <summary>
    /// On the socket's <c>connected</c>: marks it ready and puts rejoins of every confirmed channel at the head
    /// of the outbox, so that they go out (with <c>since</c>) before any queued send.
    /// </summary>
    private bool OnReady(SocketSession session, ReadOnlyMemory<byte> frame)
    {
        if (ChatEventReader.TypeOf(frame) != Protocol.Chat.ChatServerEventTypes.Connected)
        {
            return false;
        }
        lock (_gate)
        {
            session.IsReady = true;
            foreach (var channel in _channels.Values.Where(c => c.Joined is not null && c.Join is null).Reverse().ToList())
            {
                EnqueueLocked(PendingRequest.Join(channel.ChannelId, isRejoin: true), first: true);
            }
        }
        SetState(new ParleyStateChangedEventArgs(ParleyConnectionState.Connected));
        return true;
    }

    /// <summary>
    /// The socket is gone: what was in flight goes out again on the next one, leaves are done (the server
    /// dropped the subscriptions with the socket), unanswered rejoins are replaced by fresh ones.
    /// </summary>
    private void OnSessionLost()
    {
        List<PendingRequest> finished;
        List<PendingRequest> orphaned;
        lock (_gate)
        {
            _session = null;
            foreach (var request in _outbox)
            {
                Unwrite(request);
            }
            finished = [.. _outbox.Where(r => r.Kind == RequestKind.Leave || r.IsRejoin)];
            // Sends to a channel left while they were on the wire: no join will let them out again.
            orphaned = [.. _outbox.Where(r => r.Kind == RequestKind.Send && !_channels.ContainsKey(r.ChannelId))];
            RemoveLocked([.. finished, .. orphaned]);
            foreach (var channel in _channels.Values)
            {
                channel.JoinedOn = null;
            }
        }
        foreach (var request in finished)
        {
            request.Completion.TrySetResult(null);
        }
        foreach (var request in orphaned)
        {
            request.Completion.TrySetException(new InvalidOperationException($"Left channel {request.ChannelId} before the send was answered."));
        }
    }
}
