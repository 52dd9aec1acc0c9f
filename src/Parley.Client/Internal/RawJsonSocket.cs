using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace Parley.Client.Internal;

/// <summary>
/// A socket whose server frames are parsed into <see cref="JsonElement"/>s and handed, in order, to one
/// callback on the receive loop. Used by the thin <c>/messagepal</c> and <c>/gateway</c> connections, which
/// decode them into events.
/// </summary>
internal sealed class RawJsonSocket : IAsyncDisposable
{
    private readonly SocketSession _session;
    private readonly TaskCompletionSource<int?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;

    private RawJsonSocket(ClientWebSocket socket)
    {
        _session = new SocketSession(socket);
    }

    /// <summary>Completes with the close code when the socket ends (null when it dropped without one).</summary>
    public Task<int?> Closed => _closed.Task;

    public string? CloseDescription => _session.Socket.CloseStatusDescription;

    public static async Task<RawJsonSocket> ConnectAsync(SocketCredentials credentials, string path, ParleyClientOptions options, CancellationToken cancellationToken)
    {
        var socket = await credentials.ConnectAsync(path, options.ConnectTimeout, options, cancellationToken).ConfigureAwait(false);
        return new RawJsonSocket(socket);
    }

    /// <summary>
    /// Starts reading: <paramref name="onFrame"/> sees each frame, one at a time in arrival order;
    /// <paramref name="onClosed"/> runs once after the last one, when <see cref="Closed"/> is already known.
    /// </summary>
    public void Start(Action<JsonElement> onFrame, Action onClosed) => _reader = Task.Run(() => ReadLoopAsync(onFrame, onClosed));

    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken) => _session.WriteAsync(utf8Json, cancellationToken);

    /// <summary>A fresh (ext) <c>requestId</c>, unique on this socket.</summary>
    public string NextRequestId() => _session.NextRequestId();

    private async Task ReadLoopAsync(Action<JsonElement> onFrame, Action onClosed)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (await WebSocketFrames.ReceiveAsync(_session.Socket, buffer, CancellationToken.None).ConfigureAwait(false))
            {
                JsonElement frame;
                try
                {
                    using var document = JsonDocument.Parse(buffer.WrittenMemory);
                    frame = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    // Not JSON: nothing a caller could read from it.
                    continue;
                }
                onFrame(frame);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _session.MarkLost();
            _closed.TrySetResult((int?)_session.Socket.CloseStatus);
            onClosed();
        }
    }

    /// <summary>Closes politely (waiting briefly for the server's answer), then lets go of the socket.</summary>
    public async Task CloseAsync()
    {
        await _session.CloseOutputAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        if (await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) != _reader)
        {
            _session.Socket.Abort();
        }
        await _reader.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _session.Dispose();
    }
}
