using System.Buffers;
using System.Net.WebSockets;

namespace Parley.Client.Internal;

/// <summary>Reads whole text frames from a client socket.</summary>
internal static class WebSocketFrames
{
    /// <summary>Largest frame a client accepts; more means a broken or hostile server. 16 MiB.</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Reads the next whole text frame into <paramref name="buffer"/> (cleared first). False when the server
    /// closed the socket; the client's half of the closing handshake is then sent.
    /// </summary>
    public static async Task<bool> ReceiveAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync(socket).ConfigureAwait(false);
                return false;
            }
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxFrameBytes)
            {
                throw new WebSocketException(WebSocketError.Faulted, "The server sent a frame larger than the client accepts.");
            }
            if (result.EndOfMessage)
            {
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    return true;
                }
                // Parley speaks JSON text only; skip anything else.
                buffer.ResetWrittenCount();
            }
        }
    }

    private static async Task AnswerCloseAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }
}
