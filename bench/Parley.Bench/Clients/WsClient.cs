using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Parley.Bench.Clients;

/// <summary>
/// A raw <see cref="ClientWebSocket"/> speaking a <see cref="Dialect"/>. Sends are serialized by a lock (a
/// WebSocket allows one send at a time) and write into one reused buffer, so the send path allocates nothing.
/// </summary>
internal sealed class WsClient(int index, int channel, int user, Dialect dialect, Uri baseUri, HttpMessageInvoker invoker) : IBenchClient
{
    // Idle sockets only drain what they get (presence, pings), so they share one scratch buffer: its content is never read.
    private static readonly byte[] DrainBuffer = new byte[4096];
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _sendBuffer = new byte[512];
    private volatile string? _closeReason;
    private volatile bool _open;

    public int Index { get; } = index;

    public int Channel { get; } = channel;

    public bool IsOpen => _open;

    public string? CloseReason => _closeReason;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        // No client-side keep-alive: the contender's own pings (answered by the receive loop) keep the socket.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var uri = new Uri($"ws://{baseUri.Authority}{dialect.Path}{dialect.Query(user)}");
        await _socket.ConnectAsync(uri, invoker, cancellationToken);
        if (dialect.Handshake is { } handshake)
        {
            await _socket.SendAsync(handshake, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        if (dialect.ExpectsGreeting)
        {
            await ReadUntilAsync(dialect.IsReady, cancellationToken);
        }
        await _socket.SendAsync(dialect.JoinFrame(Channel), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        await ReadUntilAsync(dialect.IsJoined, cancellationToken);
        _open = true;
    }

    private delegate bool FramePredicate(ReadOnlySpan<byte> frame);

    private async Task ReadUntilAsync(FramePredicate done, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            while (true)
            {
                var length = await ReadFrameAsync(buffer, cancellationToken);
                if (length < 0)
                {
                    throw new WebSocketException($"Closed during setup: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                }
                if (done(buffer.AsSpan(0, length)))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one whole message into the buffer (the tail is dropped if it does not fit); -1 at close.</summary>
    private async ValueTask<int> ReadFrameAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == buffer.Length)
            {
                length = 0;
            }
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
        return result.MessageType == WebSocketMessageType.Close ? -1 : length;
    }

    public async Task ReceiveAsync(IDeliverySink? sink)
    {
        var buffer = sink is null ? DrainBuffer : new byte[16 * 1024];
        try
        {
            while (true)
            {
                var length = await ReadFrameAsync(buffer, CancellationToken.None);
                if (length < 0)
                {
                    _closeReason = $"closed by server: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }
                FrameCounter.Increment();
                if (sink is not null)
                {
                    Markers.Scan(buffer.AsSpan(0, length), sink, Index, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            _closeReason ??= ex.Message;
        }
        finally
        {
            _open = false;
        }
    }

    public async ValueTask SendAsync(long id)
    {
        await _sendLock.WaitAsync();
        try
        {
            var length = dialect.WriteSend(_sendBuffer, Channel, id, Stopwatch.GetTimestamp());
            await _socket.SendAsync(_sendBuffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask PingAsync()
    {
        if (dialect.Ping is not { } ping || !_open)
        {
            return;
        }
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(ping, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Abort()
    {
        _closeReason ??= "aborted by the generator";
        _socket.Abort();
        _socket.Dispose();
    }
}
