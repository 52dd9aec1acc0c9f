using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace KestrelBroadcast;

/// <summary>
/// One socket: its first text frame names its group (answered with "joined"); every later frame is sent to
/// the whole group. Sends go through a queue drained by one writer loop, since a WebSocket allows one send
/// at a time.
/// </summary>
public sealed class BroadcastClient(WebSocket socket)
{
    private static readonly byte[] Joined = "joined"u8.ToArray();
    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(byte[] frame) => _outbound.Writer.TryWrite(frame);

    public async Task RunAsync(Func<string, BroadcastGroup> groupOf)
    {
        var writer = WriteAsync();
        BroadcastGroup? group = null;
        try
        {
            while (await ReceiveAsync() is { } frame)
            {
                if (group is null)
                {
                    group = groupOf(System.Text.Encoding.UTF8.GetString(frame));
                    group.Add(this);
                    Enqueue(Joined);
                }
                else
                {
                    group.Broadcast(frame);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            group?.Remove(this);
            _outbound.Writer.TryComplete();
            await writer;
        }
    }

    /// <summary>The next whole text frame, or null at close. Waits with a zero-byte read so an idle socket holds no buffer.</summary>
    private async Task<byte[]?> ReceiveAsync()
    {
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        if (first.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            var endOfMessage = first.EndOfMessage;
            while (!endOfMessage)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                length += result.Count;
                endOfMessage = result.EndOfMessage;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync())
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
    }
}
