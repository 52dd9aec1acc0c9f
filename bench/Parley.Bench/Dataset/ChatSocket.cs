using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Parley.Bench.Dataset;

/// <summary>
/// One <c>/ws/chat</c> socket for request-and-answer measurements: sends a JSON frame, then reads frames until the
/// awaited one. Every frame is parsed (few requests, one at a time: the generator's cost per frame does not matter
/// here, as it does in fan-out). An <c>error</c> frame fails the measurement.
/// </summary>
internal sealed class ChatSocket : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    private ChatSocket()
    {
    }

    public static async Task<ChatSocket> ConnectAsync(Uri baseUri, string token)
    {
        var socket = new ChatSocket();
        try
        {
            socket._socket.Options.KeepAliveInterval = TimeSpan.Zero;
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            await socket._socket.ConnectAsync(new Uri($"ws://{baseUri.Authority}/ws/chat?token={Uri.EscapeDataString(token)}"), timeout.Token);
            await socket.ReadUntilAsync(f => Is(f, "connected"));
            return socket;
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    public static bool Is(JsonElement frame, string type) => frame.GetProperty("type").ValueEquals(type);

    public async Task SendAsync(string json)
    {
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>Reads frames until one satisfies <paramref name="done"/>, and returns it.</summary>
    public async Task<JsonElement> ReadUntilAsync(Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        while (true)
        {
            var frame = await ReadFrameAsync(timeout.Token);
            if (Is(frame, "error"))
            {
                throw new InvalidOperationException("Parley refused: " + frame.GetRawText());
            }
            if (done(frame))
            {
                return frame;
            }
        }
    }

    private async Task<JsonElement> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                throw new WebSocketException("Frame larger than the read buffer.");
            }
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"Closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(_buffer.AsMemory(0, length));
                return document.RootElement.Clone();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
