using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Parley.Bench.Clients;

/// <summary>
/// A <see cref="Dialect"/> spoken over a plain <see cref="Socket"/>: the client does the HTTP/1.1 upgrade
/// itself and parses the server's frames in place, as many as one receive brought. The generator must be much
/// cheaper per delivery than the servers it measures, and through <see cref="ClientWebSocket"/> (a stream, a
/// state machine and a receive per message) it was not. The receive path allocates nothing per frame. An idle
/// socket (no sink) holds no receive buffer: it waits with a zero-byte receive and rents one only while bytes
/// are in hand, so 100,000 of them stay cheap.
/// </summary>
internal sealed partial class RawWsClient(int index, int channel, int user, Dialect dialect, Uri baseUri) : IBenchClient
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Socket? _socket;
    private volatile string? _closeReason;
    private volatile bool _open;

    public int Index { get; } = index;

    public int Channel { get; } = channel;

    public bool IsOpen => _open;

    public string? CloseReason => _closeReason;

    private Socket Socket => _socket ?? throw new InvalidOperationException("Not connected.");

    private delegate bool FramePredicate(ReadOnlySpan<byte> frame);

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        _socket = await SourceAddresses.ConnectAsync(Index, IPAddress.Parse(baseUri.Host), baseUri.Port, cancellationToken);
        await UpgradeAsync(cancellationToken);
        if (dialect.Handshake is { } handshake)
        {
            await SendPayloadAsync(WebSocketOpcode.Text, handshake, cancellationToken);
        }
        if (dialect.ExpectsGreeting)
        {
            await ReadUntilAsync(dialect.IsReady, cancellationToken);
        }
        await SendPayloadAsync(WebSocketOpcode.Text, dialect.JoinFrame(Channel), cancellationToken);
        await ReadUntilAsync(dialect.IsJoined, cancellationToken);
        _open = true;
    }

    /// <summary>Sends the upgrade request and reads the response head; whatever followed it is the first frames.</summary>
    private async Task UpgradeAsync(CancellationToken cancellationToken)
    {
        var key = WebSocketUpgrade.NewKey();
        var request = WebSocketUpgrade.Request(baseUri.Authority, dialect.Path + dialect.Query(user), key);
        for (var sent = 0; sent < request.Length;)
        {
            sent += await Socket.SendAsync(request.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
        int head;
        while ((head = WebSocketUpgrade.HeadLength(_buffer.AsSpan(0, _end))) < 0)
        {
            if (_buffer is not null && _end == _buffer.Length)
            {
                throw new WebSocketException("Upgrade response head too large.");
            }
            var received = await ReceiveMoreAsync(cancellationToken);
            if (received == 0)
            {
                throw new WebSocketException("Connection closed during the upgrade.");
            }
            _end += received;
        }
        WebSocketUpgrade.Validate(_buffer.AsSpan(0, head), key);
        _consumed = head;
    }

    private async Task ReadUntilAsync(FramePredicate done, CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (NextFrame(out var start, out var length))
            {
                case FrameKind.Message when done(_buffer.AsSpan(start, length)):
                    return;
                case FrameKind.Ping:
                    await SendPayloadAsync(WebSocketOpcode.Pong, _buffer.AsMemory(start, length), cancellationToken);
                    break;
                case FrameKind.Close:
                    throw new WebSocketException("Closed during setup: " + DescribeClose(start, length));
                case FrameKind.Incomplete:
                    var received = await ReceiveMoreAsync(cancellationToken);
                    if (received == 0)
                    {
                        throw new WebSocketException("Connection closed during setup.");
                    }
                    _end += received;
                    break;
            }
        }
    }

    public async Task ReceiveAsync(IDeliverySink? sink)
    {
        try
        {
            // One timestamp per receive: every frame it brought had arrived by then, and it saves a clock read per frame.
            var receivedTicks = Stopwatch.GetTimestamp();
            while (true)
            {
                switch (NextFrame(out var start, out var length))
                {
                    case FrameKind.Message:
                        FrameCounter.Increment();
                        if (sink is not null)
                        {
                            Markers.Scan(_buffer.AsSpan(start, length), sink, Index, receivedTicks);
                        }
                        break;
                    case FrameKind.Ping:
                        await SendPayloadAsync(WebSocketOpcode.Pong, _buffer.AsMemory(start, length), CancellationToken.None);
                        break;
                    case FrameKind.Close:
                        _closeReason = "closed by server: " + DescribeClose(start, length);
                        await TryEchoCloseAsync(start, length);
                        return;
                    default:
                        if (sink is null && !HoldsPartialFrame)
                        {
                            ReleaseBuffer();
                            await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                        }
                        var received = await ReceiveMoreAsync(CancellationToken.None);
                        if (received == 0)
                        {
                            _closeReason ??= "the server closed the connection without a close frame";
                            return;
                        }
                        _end += received;
                        receivedTicks = Stopwatch.GetTimestamp();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            _closeReason ??= ex.Message;
        }
        finally
        {
            _open = false;
            _socket?.Dispose();
            ReleaseBuffer();
        }
    }

    public void Abort()
    {
        _closeReason ??= "aborted by the generator";
        _socket?.Dispose();
    }

    private void ReleaseBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _consumed = _end = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
