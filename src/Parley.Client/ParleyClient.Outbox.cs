using System.Net.WebSockets;
using Parley.Client.Internal;
using Parley.Protocol;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    // All guarded by _gate. The outbox holds joins, leaves and sends until the server answers them, oldest first.
    // Each write carries a fresh requestId, which the server copies onto its answer: _written finds the request an
    // answer belongs to, so several can be on the wire at once (up to MaxSendsInFlight sends).
    private readonly LinkedList<PendingRequest> _outbox = new();
    private readonly Dictionary<string, PendingRequest> _pendingSends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingRequest> _written = new(StringComparer.Ordinal);
    private TaskCompletionSource _outboxChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sendsInFlight;
    private long _writes;

    /// <summary>Adds <paramref name="request"/> to the outbox. Call under <c>_gate</c>.</summary>
    private void EnqueueLocked(PendingRequest request, bool first = false)
    {
        if (first)
        {
            _outbox.AddFirst(request);
        }
        else
        {
            _outbox.AddLast(request);
        }
        if (request.ClientMsgId is { } clientMsgId)
        {
            _pendingSends[clientMsgId] = request;
        }
        // A caller that stopped waiting (cancellation) must not leave an unobserved exception behind.
        _ = request.Completion.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _outboxChanged.TrySetResult();
    }

    /// <summary>
    /// Waits for the server's answer. Cancelling stops the wait; a request not yet written is also taken out
    /// of the outbox, one already written may still take effect.
    /// </summary>
    private async Task<object?> AwaitAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static state =>
        {
            var (client, pending, token) = ((ParleyClient, PendingRequest, CancellationToken))state!;
            client.CancelQueued(pending, token);
        }, (this, request, cancellationToken)))
        {
            return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void CancelQueued(PendingRequest request, CancellationToken token)
    {
        lock (_gate)
        {
            if (request.WrittenOn is not null || !_outbox.Remove(request))
            {
                return;
            }
            ForgetLocked(request);
        }
        request.Completion.TrySetCanceled(token);
    }

    /// <summary>Drops what the client remembers about a request that left the outbox unanswered. Call under <c>_gate</c>.</summary>
    private void ForgetLocked(PendingRequest request)
    {
        if (request.ClientMsgId is { } clientMsgId)
        {
            _pendingSends.Remove(clientMsgId);
        }
        Unwrite(request);
        if (request.Kind == RequestKind.Join && _channels.TryGetValue(request.ChannelId, out var channel) && channel.Join == request)
        {
            channel.Join = null;
            if (channel.Joined is null)
            {
                _channels.Remove(request.ChannelId);
            }
        }
    }

    /// <summary>Takes <paramref name="requests"/> (not yet answered) out of the outbox for good. Call under <c>_gate</c>.</summary>
    private void RemoveLocked(IEnumerable<PendingRequest> requests)
    {
        foreach (var request in requests)
        {
            _outbox.Remove(request);
            ForgetLocked(request);
        }
    }

    /// <summary>Takes an answered request out of the outbox and lets the pump write more. Call under <c>_gate</c>.</summary>
    private void AnswerLocked(PendingRequest request)
    {
        _outbox.Remove(request);
        if (request.ClientMsgId is { } clientMsgId)
        {
            _pendingSends.Remove(clientMsgId);
        }
        Unwrite(request);
        _outboxChanged.TrySetResult();
    }

    /// <summary>Marks a request as not on the wire (answered, dropped, or its socket lost). Call under <c>_gate</c>.</summary>
    private void Unwrite(PendingRequest request)
    {
        if (request.RequestId is { } requestId && _written.Remove(requestId) && request.Kind == RequestKind.Send)
        {
            _sendsInFlight--;
        }
        request.WrittenOn = null;
        request.RequestId = null;
    }

    /// <summary>
    /// The written request an answer belongs to: the one whose <paramref name="requestId"/> the server copied onto
    /// it; with none (a server without request ids), the oldest written request that <paramref name="matches"/>,
    /// since the server answers a socket's requests in the order it received them. Call under <c>_gate</c>.
    /// </summary>
    private PendingRequest? AnsweredLocked(string? requestId, Func<PendingRequest, bool> matches)
    {
        if (requestId is not null)
        {
            // An id this client did not write, or wrote for typing (which has no answer to wait for): nobody waits.
            return _written.GetValueOrDefault(requestId) is { } request && matches(request) ? request : null;
        }
        PendingRequest? oldest = null;
        foreach (var request in _written.Values)
        {
            if (matches(request) && (oldest is null || request.WriteNumber < oldest.WriteNumber))
            {
                oldest = request;
            }
        }
        return oldest;
    }

    /// <summary>Fails every queued request (the client closed for good or was disposed).</summary>
    private void FailPending(Exception error)
    {
        List<PendingRequest> failed;
        lock (_gate)
        {
            failed = [.. _outbox];
            _outbox.Clear();
            _pendingSends.Clear();
            _written.Clear();
            _sendsInFlight = 0;
            foreach (var channel in _channels.Values.Where(c => c.Joined is null).Select(c => c.ChannelId).ToList())
            {
                _channels.Remove(channel);
            }
            foreach (var channel in _channels.Values)
            {
                channel.Join = null;
            }
        }
        foreach (var request in failed)
        {
            request.WrittenOn = null;
            request.Completion.TrySetException(error);
        }
    }

    /// <summary>
    /// Writes what the outbox holds, in order, as soon as it may go out (a send once its channel's join was answered
    /// on this socket, at most <see cref="ParleyClientOptions.MaxSendsInFlight"/> sends unanswered), until the
    /// connection is lost. A request whose answer does not come within <see cref="ParleyClientOptions.RequestTimeout"/>
    /// means a dead connection: it is aborted, and the request goes out again on the next one.
    /// </summary>
    private async Task PumpAsync(SocketSession session, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                List<byte[]> frames = [];
                Task wake;
                long? oldestWrite = null;
                lock (_gate)
                {
                    if (_outboxChanged.Task.IsCompleted)
                    {
                        _outboxChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    wake = _outboxChanged.Task;
                    foreach (var request in _outbox)
                    {
                        if (request.WrittenOn is null && MayWriteLocked(session, request))
                        {
                            frames.Add(WriteLocked(session, request));
                        }
                    }
                    foreach (var request in _written.Values)
                    {
                        oldestWrite = oldestWrite is { } known ? Math.Min(known, request.WrittenAt) : request.WrittenAt;
                    }
                }
                foreach (var frame in frames)
                {
                    await session.WriteAsync(frame, stopping).ConfigureAwait(false);
                }
                if (frames.Count > 0)
                {
                    continue;
                }
                var wait = Timeout.InfiniteTimeSpan;
                if (oldestWrite is { } written)
                {
                    wait = _options.RequestTimeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - written);
                    if (wait <= TimeSpan.Zero)
                    {
                        throw new TimeoutException();
                    }
                }
                try
                {
                    await wake.WaitAsync(wait, stopping).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Looked at again above: the oldest request is now overdue, unless it was answered just now.
                }
            }
        }
        catch (TimeoutException)
        {
            session.Socket.Abort();
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is gone; the receive loop notices too, and the outbox waits for the next one.
        }
    }

    /// <summary>
    /// Whether a request may be written now. A send waits for its channel's join to be answered on this socket: the
    /// server would refuse it before, and a refused join fails the sends waiting for it. Call under <c>_gate</c>.
    /// </summary>
    private bool MayWriteLocked(SocketSession session, PendingRequest request) => request.Kind switch
    {
        RequestKind.Send => _sendsInFlight < _options.MaxSendsInFlight &&
            _channels.TryGetValue(request.ChannelId, out var channel) && channel.JoinedOn == session,
        _ => true,
    };

    /// <summary>Gives the request a fresh requestId on <paramref name="session"/> and encodes it. Call under <c>_gate</c>.</summary>
    private byte[] WriteLocked(SocketSession session, PendingRequest request)
    {
        var requestId = session.NextRequestId();
        request.WrittenOn = session;
        request.RequestId = requestId;
        request.WrittenAt = Environment.TickCount64;
        request.WriteNumber = ++_writes;
        _written[requestId] = request;
        if (request.Kind == RequestKind.Send)
        {
            _sendsInFlight++;
        }
        return request.Kind switch
        {
            // The since of a join is read when it is written: it is the newest seq delivered so far.
            RequestKind.Join => ClientFrames.JoinChannel(request.ChannelId, _channels.GetValueOrDefault(request.ChannelId)?.LastSeq, requestId),
            RequestKind.Leave => ClientFrames.LeaveChannel(request.ChannelId, requestId),
            _ => ClientFrames.SendMessage(request.ChannelId, request.Content, request.MessageType, request.FileUrl, request.ClientMsgId!, requestId),
        };
    }

    /// <summary>Errors about the connection or about frames this client never sends answer none of its requests.</summary>
    private static bool AnswersARequest(string code) => code is not (ErrorCodes.Unauthorized or ErrorCodes.InvalidJson or ErrorCodes.UnknownType);
}
