using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A real <see cref="ClientWebSocket"/> with a background reader: received frames queue up, and a test
/// waits for the one it expects with a timeout (never a sleep).
/// </summary>
public sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    private TestSocket(ClientWebSocket socket)
    {
        Socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public ClientWebSocket Socket { get; }

    public List<JsonElement> Received { get; } = [];

    public static Task<TestSocket> ConnectAsync(IServerEndpoint server, string path, ApiClient? client = null, string? origin = null) =>
        ConnectAsync(server.WebSocketUri(path), options =>
        {
            if (client is not null)
            {
                options.SetRequestHeader("Cookie", client.CookieHeader);
            }
            if (origin is not null)
            {
                options.SetRequestHeader("Origin", origin);
            }
        });

    /// <summary>Connects to any <c>ws://</c> or <c>wss://</c> address, with headers or TLS settings set by <paramref name="configure"/>.</summary>
    public static async Task<TestSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        var socket = new ClientWebSocket();
        configure(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestSocket(socket);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(Socket.CloseStatus);
                    return;
                }
                var frame = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                lock (Received)
                {
                    Received.Add(frame);
                }
                await _frames.Writer.WriteAsync(frame);
            }
        }
        catch (Exception)
        {
            _closed.TrySetResult(Socket.CloseStatus);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public Task SendAsync(object payload) => SendRawAsync(JsonSerializer.Serialize(payload));

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await Socket.SendAsync(bytes, type, true, timeout.Token);
    }

    /// <summary>The next frame of <paramref name="type"/> (matching <paramref name="match"/>), skipping others.</summary>
    public async Task<JsonElement> WaitForAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null, string typeProperty = "type")
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (frame.TryGetProperty(typeProperty, out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type && (match is null || match(frame)))
                {
                    return frame;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            var recent = Snapshot().TakeLast(20).Select(f => f.GetRawText()).Select(t => t.Length > 200 ? t[..200] + "…" : t);
            throw new TimeoutException($"No '{type}' frame arrived. Last frames received: {string.Join(" | ", recent)}", ex);
        }
    }

    /// <summary>The next frame, whatever it is.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _frames.Reader.ReadAsync(cts.Token);
    }

    /// <summary>True when no frame of <paramref name="type"/> arrives within <paramref name="window"/>.</summary>
    public async Task<bool> StaysQuietAsync(string type, TimeSpan window)
    {
        try
        {
            await WaitForAsync(type, timeout: window);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public List<JsonElement> Snapshot()
    {
        lock (Received)
        {
            return [.. Received];
        }
    }

    /// <summary>The <c>message</c> of every <c>new_message</c> received so far, in arrival order.</summary>
    public List<JsonElement> ChatMessages() =>
        [.. Snapshot().Where(f => f.TryGetProperty("type", out var t) && t.GetString() == "new_message").Select(f => f.GetProperty("message"))];

    /// <summary>Waits until the frames received so far satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<List<JsonElement>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition(Snapshot()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The frames received did not satisfy the condition in time.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> <c>new_message</c> frames have arrived.</summary>
    public async Task WaitForMessageCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ChatMessages().Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {ChatMessages().Count} of {count} messages arrived.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the server closes the socket; the close code, or null when the connection just dropped.</summary>
    public async Task<int?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        var status = await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);
        return status is null ? null : (int)status.Value;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }
        Socket.Abort();
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        Socket.Dispose();
    }
}
