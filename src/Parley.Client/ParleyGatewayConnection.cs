using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Parley.Client.Internal;

namespace Parley.Client;

/// <summary>
/// A thin <c>/gateway</c> connection, opened by <see cref="ParleyClient.OpenGatewayAsync"/> with that client's
/// credentials. Frames are handed out raw, as JSON: <c>{op}</c> or <c>{t, d, s}</c> (their typed records are
/// not part of Parley.Protocol yet). After the server's <c>HELLO</c> the connection sends <c>HEARTBEAT</c>
/// every <c>heartbeat_interval</c> by itself; the caller sends <see cref="IdentifyAsync"/> (or
/// <see cref="ResumeAsync"/> with <see cref="SessionId"/> and <see cref="LastSequence"/> of an earlier
/// connection). It does not reconnect: when <see cref="Closed"/> completes, open a new one.
/// </summary>
public sealed class ParleyGatewayConnection : IAsyncDisposable
{
    internal const string Path = "/gateway";

    private readonly RawJsonSocket _socket;
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private long _lastSequence;
    private string? _sessionId;
    private long _heartbeatIntervalMs;
    private int _heartbeating;

    internal ParleyGatewayConnection(RawJsonSocket socket)
    {
        _socket = socket;
        _socket.Start(OnFrame);
    }

    /// <summary>Completes with the close code (for example 4001, 4009; see <see cref="Protocol.CloseCodes"/>) when the socket ends.</summary>
    public Task<int?> Closed => _socket.Closed;

    /// <summary>The server's close reason, once closed.</summary>
    public string? CloseDescription => _socket.CloseDescription;

    /// <summary>The <c>s</c> of the newest dispatch received (READY is 1); 0 before any.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>The <c>sessionId</c> from READY, for a later <see cref="ResumeAsync"/>; null before READY.</summary>
    public string? SessionId => Volatile.Read(ref _sessionId);

    /// <summary>The <c>heartbeat_interval</c> from HELLO; null before it.</summary>
    public TimeSpan? HeartbeatInterval => Interlocked.Read(ref _heartbeatIntervalMs) is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>
    /// Every frame from the server in arrival order (HELLO, READY, dispatches, HEARTBEAT_ACK, INVALID_SESSION),
    /// each exactly once across all readers; the sequence ends when the socket closes.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var frame in _socket.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return frame;
        }
    }

    /// <summary>
    /// <c>IDENTIFY</c>, answered by READY. The server takes the identity from the credentials; a
    /// <paramref name="userId"/> that differs from them closes the socket with 4001.
    /// </summary>
    public Task IdentifyAsync(long userId, CancellationToken cancellationToken = default) =>
        SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("op", "IDENTIFY");
            w.WriteStartObject("d");
            w.WriteNumber("userId", userId);
            w.WriteEndObject();
        }), cancellationToken);

    /// <summary>(ext) <c>RESUME</c>: replays the dispatches after <paramref name="sequence"/>, or answers <c>INVALID_SESSION</c>.</summary>
    public Task ResumeAsync(string sessionId, long sequence, CancellationToken cancellationToken = default) =>
        SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("op", "RESUME");
            w.WriteStartObject("d");
            w.WriteString("sessionId", sessionId);
            w.WriteNumber("seq", sequence);
            w.WriteEndObject();
        }), cancellationToken);

    /// <summary>One <c>HEARTBEAT</c> now (they are also sent by themselves after HELLO).</summary>
    public Task HeartbeatAsync(CancellationToken cancellationToken = default) => SendAsync("""{"op":"HEARTBEAT"}"""u8.ToArray(), cancellationToken);

    /// <summary>Sends one raw frame (a UTF-8 JSON object <c>{op, d}</c>).</summary>
    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) => _socket.SendAsync(utf8Json, cancellationToken);

    /// <summary>Stops the heartbeats and closes the socket politely.</summary>
    public async Task CloseAsync()
    {
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await _socket.CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the socket and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
        _stopHeartbeat.Dispose();
    }

    private void OnFrame(JsonElement frame)
    {
        if (frame.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (frame.TryGetProperty("s", out var s) && s.TryGetInt64(out var sequence))
        {
            Interlocked.Exchange(ref _lastSequence, Math.Max(sequence, Interlocked.Read(ref _lastSequence)));
        }
        if (frame.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String && t.ValueEquals("READY") &&
            frame.TryGetProperty("d", out var ready) && ready.ValueKind == JsonValueKind.Object &&
            ready.TryGetProperty("sessionId", out var sessionId) && sessionId.ValueKind == JsonValueKind.String)
        {
            Volatile.Write(ref _sessionId, sessionId.GetString());
        }
        if (frame.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String && op.ValueEquals("HELLO") &&
            frame.TryGetProperty("d", out var hello) && hello.ValueKind == JsonValueKind.Object &&
            hello.TryGetProperty("heartbeat_interval", out var interval) && interval.TryGetInt64(out var ms) && ms > 0)
        {
            Interlocked.Exchange(ref _heartbeatIntervalMs, ms);
            if (Interlocked.Exchange(ref _heartbeating, 1) == 0)
            {
                _ = HeartbeatLoopAsync(_stopHeartbeat.Token);
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Interlocked.Read(ref _heartbeatIntervalMs)), stopping).ConfigureAwait(false);
                await HeartbeatAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closed: nothing left to keep alive.
        }
    }
}
