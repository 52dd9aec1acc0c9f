using System.Net.WebSockets;
using System.Threading.Channels;
using Parley.Server.Sessions;

namespace Parley.Server.Realtime;

/// <summary>
/// One accepted WebSocket: a bounded send queue drained by a single writer loop, so that any thread may
/// send without blocking and a slow reader never stalls a broadcast to others. A client whose queue passes
/// the bound is disconnected (4008); droppable frames (typing, presence) are shed before that.
/// </summary>
public sealed partial class SocketConnection
{
    private readonly Channel<OutboundFrame> _queue =
        Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly RealtimeOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _aborted = new();
    private int _queuedFrames;
    private long _queuedBytes;
    private int _closeRequested;

    public SocketConnection(WebSocket socket, AuthenticatedUser? user, string path, RealtimeOptions options, ILogger logger)
    {
        Socket = socket;
        User = user;
        Path = path;
        _options = options;
        _logger = logger;
        // One registration for the socket's life instead of one per send: sends pass no token (see
        // RunWriterAsync), so an abort reaches a send stuck behind a client that does not read this way.
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

    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>
    /// Queues a text frame. A droppable frame is skipped when the queue is half full; any frame past the
    /// full bound disconnects the client. False when the frame was not queued.
    /// </summary>
    public bool Send(byte[] payload, bool droppable = false)
    {
        if (IsClosing)
        {
            return false;
        }
        var frames = Volatile.Read(ref _queuedFrames);
        var bytes = Interlocked.Read(ref _queuedBytes);
        if (droppable && (frames >= _options.SendQueueLimit / 2 || bytes >= _options.SendQueueByteLimit / 2))
        {
            return false;
        }
        if (frames >= _options.SendQueueLimit || bytes + payload.Length > _options.SendQueueByteLimit)
        {
            RealtimeLog.TooSlow(_logger, Id, User?.Id ?? 0, frames, bytes);
            // The writer is stuck behind a client that does not read, so a close frame could not get out:
            // abort, and let the client resume with `since` when it reconnects.
            Close(Protocol.CloseCodes.RateLimited, "Client too slow");
            // Send is called from inside broadcasts: aborting the socket here would run its teardown (and
            // the reader's continuation) on the broadcasting thread, under the channel's lock.
            _ = _aborted.CancelAsync();
            return false;
        }
        Interlocked.Increment(ref _queuedFrames);
        Interlocked.Add(ref _queuedBytes, payload.Length);
        return _queue.Writer.TryWrite(new OutboundFrame(payload, 0, null));
    }

    /// <summary>Queues the close frame after everything already queued; later sends are ignored.</summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            _queue.Writer.TryWrite(new OutboundFrame(null, code, reason));
            _queue.Writer.TryComplete();
            // A client that does not answer the close frame (or does not read at all) is aborted.
            _aborted.CancelAfter(_options.CloseTimeout);
        }
    }

    /// <summary>Aborts the socket at once (no close frame).</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _closeRequested, 1);
        _queue.Writer.TryComplete();
        _aborted.Cancel();
        Socket.Abort();
    }

    /// <summary>The writer loop: sends queued frames one by one until the close frame or an abort.</summary>
    /// <remarks>
    /// No cancellation token is passed per frame: with one, ManagedWebSocket takes its slow path (an async
    /// state machine and a token registration for every frame); the abort is registered once instead. The
    /// queue is always completed before or when the socket is aborted, so the wait below ends too.
    /// </remarks>
    public async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (reader.TryRead(out var frame))
                {
                    if (frame.IsClose)
                    {
                        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        {
                            await Socket.CloseOutputAsync((WebSocketCloseStatus)frame.CloseCode, frame.CloseReason, _aborted.Token);
                        }
                        return;
                    }
                    Interlocked.Decrement(ref _queuedFrames);
                    Interlocked.Add(ref _queuedBytes, -frame.Payload!.Length);
                    await Socket.SendAsync(frame.Payload.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            RealtimeLog.TransportError(_logger, Id, ex.Message);
            _aborted.Cancel();
        }
    }
}
