using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using Parley.Protocol;

namespace Parley.Server.Realtime;

public sealed partial class SocketConnection
{
    private const int InitialReceiveBuffer = 4096;

    /// <summary>
    /// Reads the next whole text frame into a pooled buffer and hands it to <paramref name="handle"/>, until
    /// the client closes or a frame breaks a rule: binary (1003), too large (1009) or not UTF-8 (1007).
    /// </summary>
    /// <remarks>
    /// Waits for each frame with a zero-byte read and rents the buffer only once a frame has begun, so an idle
    /// socket holds no receive buffer (4 KB each across thousands of idle sockets is most of their memory).
    /// Reads take no cancellation token: an abort already ends them (the abort registration disposes the
    /// transport), and a token would register on every read down into the transport.
    /// </remarks>
    public async Task RunReaderAsync(Func<ReadOnlyMemory<byte>, Task> handle)
    {
        try
        {
            while (!IsClosing)
            {
                var first = await Socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (!await ReadFrameAsync(first, handle))
                {
                    return;
                }
            }
        }
        catch (WebSocketException ex)
        {
            // Also how the framework reports invalid UTF-8: it has already sent 1007 itself.
            RealtimeLog.TransportError(_logger, Id, ex.Message);
            Close(CloseCodes.InvalidPayload, "Invalid frame");
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Aborted: the socket is already being torn down.
        }
    }

    /// <summary>Reads the rest of the frame that <paramref name="first"/> began and handles it; false when the socket is done.</summary>
    private async Task<bool> ReadFrameAsync(ValueWebSocketReceiveResult first, Func<ReadOnlyMemory<byte>, Task> handle)
    {
        switch (first.MessageType)
        {
            case WebSocketMessageType.Close:
                Close(Socket.CloseStatus is { } status ? (int)status : (int)WebSocketCloseStatus.NormalClosure, "");
                return false;
            case WebSocketMessageType.Binary:
                Close(CloseCodes.UnsupportedData, "Binary frames are not supported");
                return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            var length = 0;
            var result = first;
            while (!result.EndOfMessage)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= _options.MaxMessageBytes + 1)
                    {
                        Close(CloseCodes.MessageTooBig, "Frame too large");
                        return false;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxMessageBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                result = await Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
                if (length > _options.MaxMessageBytes)
                {
                    Close(CloseCodes.MessageTooBig, "Frame too large");
                    return false;
                }
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close(Socket.CloseStatus is { } status ? (int)status : (int)WebSocketCloseStatus.NormalClosure, "");
                    return false;
                }
            }
            if (!Utf8.IsValid(buffer.AsSpan(0, length)))
            {
                Close(CloseCodes.InvalidPayload, "Invalid UTF-8");
                return false;
            }
            await handle(buffer.AsMemory(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
