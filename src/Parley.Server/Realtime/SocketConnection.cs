using System.Net.WebSockets;
using Parley.Server.Operations;
using Parley.Server.Realtime.Transport;
using Parley.Server.Sessions;

namespace Parley.Server.Realtime;

/// <summary>
/// One accepted WebSocket and its send queue. Any thread may send without blocking: frames are queued and a
/// flush, scheduled on the thread pool only when the queue goes from empty to non-empty, writes everything
/// queued by then in one transport write (see <c>SocketConnection.Write.cs</c>). A slow reader never stalls a
/// broadcast to others: a client whose queue passes the bound is disconnected (4008), and droppable frames
/// (typing, presence) are shed before that. An idle socket holds no queue storage and no pending task.
/// </summary>
public sealed partial class SocketConnection
{
    private readonly Lock _sync = new();
    private readonly SerializedWriteStream? _transport;
    private readonly RealtimeOptions _options;
    private readonly ParleyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _aborted = new();
    private Queue<OutboundFrame>? _pending;
    private int _queuedFrames;
    private long _queuedBytes;
    private bool _flushScheduled;
    private bool _writerFinished;
    private TaskCompletionSource? _writerDone;
    private volatile bool _closeRequested;

    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="transport">
    /// The stream the socket runs on, when it was captured (<see cref="TransportCaptureFeature"/>): data frames
    /// are then written to it directly, several per write. Null: one <c>SendAsync</c> per frame.
    /// </param>
    /// <param name="user">The authenticated user; null for a socket about to be closed with 4001.</param>
    /// <param name="path">The request path, for logs.</param>
    /// <param name="options">Queue bounds and timeouts.</param>
    /// <param name="metrics">Counts queued frames and slow-client disconnects.</param>
    /// <param name="logger">The socket layer's logger.</param>
    public SocketConnection(WebSocket socket, SerializedWriteStream? transport, AuthenticatedUser? user, string path, RealtimeOptions options, ParleyMetrics metrics, ILogger logger)
    {
        Socket = socket;
        _transport = transport;
        User = user;
        Path = path;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        // One registration for the socket's life: a write stuck behind a client that does not read ends when
        // the socket is aborted, which disposes the transport under it.
        _aborted.Token.UnsafeRegister(static state => ((WebSocket)state!).Abort(), socket);
    }

    public Guid Id { get; } = Guid.NewGuid();

    public WebSocket Socket { get; }

    /// <summary>The authenticated user; null only for a socket about to be closed with 4001.</summary>
    public AuthenticatedUser? User { get; }

    public string Path { get; }

    /// <summary>The protocol's per-socket state (joined channels, gateway session, …).</summary>
    public object? ProtocolState { get; set; }

    /// <summary>Cancelled when the socket is aborted (too slow, shutdown timeout, transport error).</summary>
    public CancellationToken Aborted => _aborted.Token;

    public bool IsClosing => _closeRequested;

    /// <summary>
    /// Queues a text frame. A droppable frame is skipped when the queue is half full; any frame past the
    /// full bound disconnects the client. False when the frame was not queued.
    /// </summary>
    public bool Send(byte[] payload, bool droppable = false)
    {
        lock (_sync)
        {
            if (_closeRequested)
            {
                return false;
            }
            if (droppable && (_queuedFrames >= _options.SendQueueLimit / 2 || _queuedBytes >= _options.SendQueueByteLimit / 2))
            {
                return false;
            }
            if (_queuedFrames < _options.SendQueueLimit && _queuedBytes + payload.Length <= _options.SendQueueByteLimit)
            {
                Enqueue(new OutboundFrame(payload, 0, null));
                _queuedFrames++;
                _queuedBytes += payload.Length;
                _metrics.FrameQueued();
                return true;
            }
        }
        DisconnectTooSlow();
        return false;
    }

    /// <summary>Adds to the queue and schedules a flush unless one is pending; called under the lock.</summary>
    private void Enqueue(OutboundFrame frame)
    {
        (_pending ??= new Queue<OutboundFrame>()).Enqueue(frame);
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            ScheduleFlush();
        }
    }

    private void DisconnectTooSlow()
    {
        _metrics.SlowClientClosed();
        RealtimeLog.TooSlow(_logger, Id, User?.Id ?? 0, Volatile.Read(ref _queuedFrames), Interlocked.Read(ref _queuedBytes));
        // The writer is stuck behind a client that does not read, so a close frame could not get out: abort,
        // and let the client resume with `since` when it reconnects.
        Close(Protocol.CloseCodes.RateLimited, "Client too slow");
        // Send is called from inside broadcasts: aborting the socket here would run its teardown (and the
        // reader's continuation) on the broadcasting thread, under the channel's lock.
        _ = _aborted.CancelAsync();
    }

    /// <summary>Queues the close frame after everything already queued; later sends are ignored.</summary>
    public void Close(int code, string reason)
    {
        lock (_sync)
        {
            if (_closeRequested)
            {
                return;
            }
            _closeRequested = true;
            Enqueue(new OutboundFrame(null, code, reason));
        }
        // A client that does not answer the close frame (or does not read at all) is aborted.
        _aborted.CancelAfter(_options.CloseTimeout);
    }

    /// <summary>Aborts the socket at once (no close frame).</summary>
    public void Abort()
    {
        lock (_sync)
        {
            _closeRequested = true;
            _pending?.Clear();
        }
        FinishWriter();
        _aborted.Cancel();
        Socket.Abort();
    }

    /// <summary>Completes when the close frame has been written, or the socket aborted.</summary>
    public Task WhenWriterDoneAsync()
    {
        lock (_sync)
        {
            return _writerFinished ? Task.CompletedTask : (_writerDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private void FinishWriter()
    {
        TaskCompletionSource? done;
        lock (_sync)
        {
            _writerFinished = true;
            done = _writerDone;
        }
        done?.TrySetResult();
    }
}
