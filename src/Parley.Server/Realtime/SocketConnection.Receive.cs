using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using Parley.Protocol;

namespace Parley.Server.Realtime;

public sealed partial class SocketConnection
{
    /// <summary>
    /// Reads the next whole text frame into a pooled buffer and hands it to <paramref name="handle"/>, until
    /// the client closes or a frame breaks a rule: binary (1003), too large (1009) or not UTF-8 (1007).
    /// </summary>
    public async Task RunReaderAsync(Func<ReadOnlyMemory<byte>, Task> handle, CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (!IsClosing)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= _options.MaxMessageBytes + 1)
                        {
                            Close(CloseCodes.MessageTooBig, "Frame too large");
                            return;
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxMessageBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await Socket.ReceiveAsync(buffer.AsMemory(length), stopping);
                    length += result.Count;
                    if (length > _options.MaxMessageBytes)
                    {
                        Close(CloseCodes.MessageTooBig, "Frame too large");
                        return;
                    }
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        Close(Socket.CloseStatus is { } status ? (int)status : (int)WebSocketCloseStatus.NormalClosure, "");
                        return;
                    case WebSocketMessageType.Binary:
                        Close(CloseCodes.UnsupportedData, "Binary frames are not supported");
                        return;
                }
                if (!Utf8.IsValid(buffer.AsSpan(0, length)))
                {
                    Close(CloseCodes.InvalidPayload, "Invalid UTF-8");
                    return;
                }
                await handle(buffer.AsMemory(0, length));
            }
        }
        catch (WebSocketException ex)
        {
            // Also how the framework reports invalid UTF-8: it has already sent 1007 itself.
            RealtimeLog.TransportError(_logger, Id, ex.Message);
            Close(CloseCodes.InvalidPayload, "Invalid frame");
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
