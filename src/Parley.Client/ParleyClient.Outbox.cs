using System.Net.WebSockets;
using Parley.Client.Internal;
using Parley.Protocol;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    // All guarded by _gate. The outbox holds joins, leaves and sends until the server answers them; the head
    // is the only request on the wire (_inFlight), so the server's in-order answers can be matched to it.
    private readonly LinkedList<PendingRequest> _outbox = new();
    private readonly Dictionary<string, PendingRequest> _pendingSends = new(StringComparer.Ordinal);
    private TaskCompletionSource _outboxChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PendingRequest? _inFlight;

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
            if (_inFlight == request || !_outbox.Remove(request))
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
        if (request.Kind == RequestKind.Join && _channels.TryGetValue(request.ChannelId, out var channel) && channel.Join == request)
        {
            channel.Join = null;
            if (channel.Joined is null)
            {
                _channels.Remove(request.ChannelId);
            }
        }
    }

    /// <summary>Takes an answered request out of the outbox and releases the pump. Call under <c>_gate</c>.</summary>
    private void AnswerLocked(PendingRequest request, AttemptOutcome outcome)
    {
        if (outcome == AttemptOutcome.Answered)
        {
            _outbox.Remove(request);
            if (request.ClientMsgId is { } clientMsgId)
            {
                _pendingSends.Remove(clientMsgId);
            }
        }
        if (_inFlight == request)
        {
            _inFlight = null;
        }
        request.Attempt?.TrySetResult(outcome);
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
            _inFlight = null;
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
            request.Attempt?.TrySetCanceled();
            request.Completion.TrySetException(error);
        }
    }

    /// <summary>
    /// Writes the outbox's head, waits for its answer, and goes on with the next, until the connection is lost.
    /// A request whose answer does not come within <see cref="ParleyClientOptions.RequestTimeout"/> means a
    /// dead connection: it is aborted, and the request goes out again on the next one.
    /// </summary>
    private async Task PumpAsync(SocketSession session, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                PendingRequest? request;
                Task wake;
                byte[]? frame = null;
                lock (_gate)
                {
                    request = _outbox.First?.Value;
                    if (request is null)
                    {
                        if (_outboxChanged.Task.IsCompleted)
                        {
                            _outboxChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        }
                        wake = _outboxChanged.Task;
                    }
                    else
                    {
                        wake = Task.CompletedTask;
                        _inFlight = request;
                        request.Attempt = new TaskCompletionSource<AttemptOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                        frame = EncodeLocked(request);
                    }
                }
                if (request is null)
                {
                    await wake.WaitAsync(stopping).ConfigureAwait(false);
                    continue;
                }
                await session.WriteAsync(frame, stopping).ConfigureAwait(false);
                var outcome = await request.Attempt!.Task.WaitAsync(_options.RequestTimeout, stopping).ConfigureAwait(false);
                if (outcome == AttemptOutcome.RetryLater)
                {
                    await Task.Delay(_options.RateLimitRetryDelay, stopping).ConfigureAwait(false);
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

    private byte[] EncodeLocked(PendingRequest request) => request.Kind switch
    {
        // The since of a join is read when it is written: it is the newest seq delivered so far.
        RequestKind.Join => ClientFrames.JoinChannel(request.ChannelId, _channels.GetValueOrDefault(request.ChannelId)?.LastSeq),
        RequestKind.Leave => ClientFrames.LeaveChannel(request.ChannelId),
        _ => ClientFrames.SendMessage(request.ChannelId, request.Content, request.MessageType, request.FileUrl, request.ClientMsgId!),
    };

    private static bool IsRetryable(string code) => code == ErrorCodes.RateLimited;
}
