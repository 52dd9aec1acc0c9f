using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Internal;
using Parley.Protocol.Chat;
using Parley.Protocol.Gateway;
using Parley.Protocol.Json;

namespace Parley.Client;

/// <summary>
/// A thin <c>/gateway</c> connection, opened by <see cref="ParleyClient.OpenGatewayAsync"/> with that client's
/// credentials. The caller starts the session with <see cref="IdentifyAsync"/> (answered by READY), or on a
/// new connection after a drop with <see cref="ResumeAsync(ParleyGatewayConnection, CancellationToken)"/>,
/// which replays the dispatches the old one missed. From then on the connection sends <c>HEARTBEAT</c> every
/// <c>heartbeat_interval</c> of the server's HELLO by itself, and records <see cref="SessionId"/> and the last
/// <c>s</c> (<see cref="LastSequence"/>) for a later resume. It does not reconnect: when <see cref="Closed"/>
/// completes, open a new one and resume.
/// </summary>
/// <remarks>
/// Dispatches come as typed C# events carrying the wire records of <c>Parley.Protocol.Gateway</c>
/// (<see cref="MessageCreated"/>, …), as <see cref="DispatchReceived"/> with <c>d</c> raw, and every frame raw
/// through <see cref="FrameReceived"/>. Events are raised on the receive loop, one at a time in wire order;
/// handlers should return quickly, and an exception a handler throws goes to <see cref="EventHandlerFailed"/>
/// instead of ending the connection. Attach handlers before identifying or resuming: a resume replays at once.
/// The type is thread-safe.
/// </remarks>
public sealed class ParleyGatewayConnection : IAsyncDisposable
{
    internal const string Path = "/gateway";

    private static readonly ProtocolJsonContext Wire = ProtocolJsonContext.Default;

    private readonly RawJsonSocket _socket;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<TimeSpan> _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<GatewayReady>? _pendingReady;
    private CancellationTokenSource? _heartbeats;
    private bool _closed;
    private long _lastSequence;
    private string? _sessionId;
    private GatewayReady? _ready;

    internal ParleyGatewayConnection(RawJsonSocket socket)
    {
        _socket = socket;
        _socket.Start(OnFrame, OnClosed);
    }

    /// <summary>Every frame from the server, raw (HELLO, dispatches, HEARTBEAT_ACK, INVALID_SESSION), before any other event it raises.</summary>
    public event EventHandler<JsonElement>? FrameReceived;

    /// <summary>Every dispatch <c>{t, d, s}</c>, READY and replays included, before its typed event; <see cref="LastSequence"/> already counts it.</summary>
    public event EventHandler<ParleyGatewayDispatch>? DispatchReceived;

    /// <summary><c>MESSAGE_CREATE</c>: a message in a channel of one of the user's workspaces, or in one of their DM channels.</summary>
    public event EventHandler<ChatMessage>? MessageCreated;

    /// <summary><c>MESSAGE_DELETE</c>: a message was deleted.</summary>
    public event EventHandler<GatewayMessageDelete>? MessageDeleted;

    /// <summary>(ext) <c>MESSAGE_UPDATE</c>: a message was edited; the message with its new content and <c>EditedAt</c> (the dispatch's <c>edited_timestamp</c>).</summary>
    public event EventHandler<ChatMessage>? MessageUpdated;

    /// <summary><c>CHANNEL_CREATE</c>: a channel was created in one of the user's workspaces.</summary>
    public event EventHandler<GatewayChannel>? ChannelCreated;

    /// <summary>(ext) <c>GUILD_CREATE</c>: the user joined or created a workspace (with its channels).</summary>
    public event EventHandler<GatewayGuild>? GuildCreated;

    /// <summary>(ext) <c>GUILD_DELETE</c>: the user is no longer a member of a workspace and gets nothing more of it.</summary>
    public event EventHandler<GatewayGuildDelete>? GuildDeleted;

    /// <summary><c>GUILD_MEMBER_ADD</c>: someone joined one of the user's workspaces.</summary>
    public event EventHandler<GatewayGuildMember>? GuildMemberAdded;

    /// <summary><c>GUILD_MEMBER_REMOVE</c>: someone left one of the user's workspaces.</summary>
    public event EventHandler<GatewayGuildMember>? GuildMemberRemoved;

    /// <summary><c>PRESENCE_UPDATE</c>: a user came online or went offline in a channel of one of the user's workspaces.</summary>
    public event EventHandler<GatewayPresence>? PresenceUpdated;

    /// <summary><c>HEARTBEAT_ACK</c>: the server answered a heartbeat.</summary>
    public event EventHandler? HeartbeatAcknowledged;

    /// <summary>
    /// <c>INVALID_SESSION</c>: the RESUME cannot be honoured. The socket stays open and unidentified: heartbeats
    /// stop, <see cref="SessionId"/> and <see cref="LastSequence"/> are cleared, and the caller should
    /// <see cref="IdentifyAsync"/> (what was missed is then lost: load it over HTTP).
    /// </summary>
    public event EventHandler? InvalidSession;

    /// <summary>An event handler of this connection threw; the exception is passed here and otherwise ignored.</summary>
    public event EventHandler<Exception>? EventHandlerFailed;

    /// <summary>Completes with the close code (for example 4001, 4009; see <see cref="Protocol.CloseCodes"/>) when the socket ends.</summary>
    public Task<int?> Closed => _socket.Closed;

    /// <summary>The server's close reason, once closed.</summary>
    public string? CloseDescription => _socket.CloseDescription;

    /// <summary>
    /// The <c>s</c> of the newest dispatch received (READY is 1); after <see cref="ResumeAsync(string, long, CancellationToken)"/>,
    /// the sequence resumed from until a replay or live dispatch arrives. 0 before any.
    /// </summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>The session to resume: from READY, or the one given to <see cref="ResumeAsync(string, long, CancellationToken)"/>; null before either.</summary>
    public string? SessionId => Volatile.Read(ref _sessionId);

    /// <summary>The READY this connection's <see cref="IdentifyAsync"/> received; null before it, and on a resumed connection.</summary>
    public GatewayReady? Ready => Volatile.Read(ref _ready);

    /// <summary>The <c>heartbeat_interval</c> from HELLO; null before it.</summary>
    public TimeSpan? HeartbeatInterval => _hello.Task.IsCompletedSuccessfully ? _hello.Task.Result : null;

    /// <summary>
    /// <c>IDENTIFY</c>; completes with READY (<c>s</c> = 1: the user, their workspaces with channels, the session
    /// id) and starts the heartbeats. The server takes the identity from the credentials: a
    /// <paramref name="userId"/> that names someone else closes the socket with 4001 (none is fine).
    /// </summary>
    /// <param name="userId">The user's id, as the seed system's clients send it; optional.</param>
    /// <param name="cancellationToken">Stops waiting (the IDENTIFY may be sent already).</param>
    /// <exception cref="ParleyConnectionClosedException">The socket closed before READY (4001, or 4005 after an earlier IDENTIFY or RESUME).</exception>
    public async Task<GatewayReady> IdentifyAsync(long? userId = null, CancellationToken cancellationToken = default)
    {
        var ready = new TaskCompletionSource<GatewayReady>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ThrowIfClosed();
            // Registered before the frame goes out: READY may arrive before the write completes.
            _pendingReady?.TrySetCanceled(CancellationToken.None);
            _pendingReady = ready;
        }
        await SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("op", GatewayOps.Identify);
            w.WriteStartObject("d");
            if (userId is { } id)
            {
                w.WriteNumber("userId", id);
            }
            w.WriteEndObject();
        }), cancellationToken).ConfigureAwait(false);
        StartHeartbeats();
        return await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// (ext) <c>RESUME</c> instead of IDENTIFY, on a new connection after the old one closed: the server
    /// replays, as ordinary dispatch events with their original <c>s</c>, what the session received after
    /// <paramref name="sequence"/>, then continues live; or it answers <see cref="InvalidSession"/>. A
    /// successful resume has no answer of its own. Starts the heartbeats.
    /// </summary>
    /// <param name="sessionId">The old connection's <see cref="SessionId"/>.</param>
    /// <param name="sequence">The old connection's <see cref="LastSequence"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task ResumeAsync(string sessionId, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        lock (_gate)
        {
            ThrowIfClosed();
        }
        // Recorded before the frame goes out: replays may arrive before the write completes.
        Volatile.Write(ref _sessionId, sessionId);
        Interlocked.Exchange(ref _lastSequence, sequence);
        await SendAsync(ClientFrames.Write(w =>
        {
            w.WriteString("op", GatewayOps.Resume);
            w.WriteStartObject("d");
            w.WriteString("sessionId", sessionId);
            w.WriteNumber("seq", sequence);
            w.WriteEndObject();
        }), cancellationToken).ConfigureAwait(false);
        StartHeartbeats();
    }

    /// <summary>
    /// (ext) Resumes <paramref name="previous"/>'s session on this connection, from its
    /// <see cref="SessionId"/> and <see cref="LastSequence"/>; see <see cref="ResumeAsync(string, long, CancellationToken)"/>.
    /// Close the previous connection first, or the server closes it (1000, <c>Session resumed elsewhere</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="previous"/> never had a session.</exception>
    public Task ResumeAsync(ParleyGatewayConnection previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var sessionId = previous.SessionId ?? throw new InvalidOperationException("The previous connection has no session to resume (it never received READY).");
        return ResumeAsync(sessionId, previous.LastSequence, cancellationToken);
    }

    /// <summary>
    /// One <c>HEARTBEAT</c> now, answered by <see cref="HeartbeatAcknowledged"/>. They are sent by themselves
    /// after IDENTIFY or RESUME; before either the server closes the socket with 4003.
    /// </summary>
    public Task HeartbeatAsync(CancellationToken cancellationToken = default) => SendAsync("""{"op":"HEARTBEAT"}"""u8.ToArray(), cancellationToken);

    /// <summary>Sends one raw frame (a UTF-8 JSON object <c>{op, d}</c>).</summary>
    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) => _socket.SendAsync(utf8Json, cancellationToken);

    /// <summary>Stops the heartbeats and closes the socket politely.</summary>
    public async Task CloseAsync()
    {
        StopHeartbeats();
        await _socket.CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the socket and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        StopHeartbeats();
        await _socket.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ParleyConnectionClosedException(_socket.Closed.Result, _socket.CloseDescription);
        }
    }

    /// <summary>
    /// (Re)starts the heartbeat loop once the session is asked for: the server counts a HEARTBEAT before
    /// IDENTIFY or RESUME as an op out of turn (4003), and restarts its 1.5 × interval deadline at either.
    /// </summary>
    private void StartHeartbeats()
    {
        CancellationTokenSource beats;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _heartbeats?.Cancel();
            _heartbeats = beats = new CancellationTokenSource();
        }
        _ = HeartbeatLoopAsync(beats.Token);
    }

    private void StopHeartbeats()
    {
        lock (_gate)
        {
            _heartbeats?.Cancel();
            _heartbeats = null;
        }
    }

    /// <remarks>
    /// The loop's source is never disposed: one without a timer holds nothing to release, and it may be
    /// cancelled from another thread at any time.
    /// </remarks>
    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        try
        {
            var interval = await _hello.Task.WaitAsync(stopping).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(interval, stopping).ConfigureAwait(false);
                await HeartbeatAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Stopped, or the socket is gone: nothing left to keep alive.
        }
    }

    private void OnFrame(JsonElement frame)
    {
        EventRaiser.Raise(this, FrameReceived, frame, EventHandlerFailed);
        if (frame.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (frame.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String)
        {
            OnDispatch(new ParleyGatewayDispatch(
                t.GetString()!,
                frame.TryGetProperty("s", out var s) && s.TryGetInt64(out var sequence) ? sequence : 0,
                frame.TryGetProperty("d", out var d) ? d : default));
        }
        else if (frame.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String)
        {
            OnOp(op.GetString()!, frame);
        }
    }

    private void OnDispatch(ParleyGatewayDispatch dispatch)
    {
        if (dispatch.S > 0)
        {
            // The server numbers a session's dispatches in order (READY is 1 again after a new IDENTIFY).
            Interlocked.Exchange(ref _lastSequence, dispatch.S);
        }
        if (dispatch.T == GatewayEvents.Ready)
        {
            OnReady(dispatch.D);
        }
        Raise(DispatchReceived, dispatch);
        try
        {
            switch (dispatch.T)
            {
                case GatewayEvents.MessageCreate:
                    Raise(MessageCreated, Read(dispatch.D, Wire.ChatMessage));
                    break;
                case GatewayEvents.MessageUpdate:
                    Raise(MessageUpdated, Read(dispatch.D, Wire.ChatMessage));
                    break;
                case GatewayEvents.MessageDelete:
                    Raise(MessageDeleted, Read(dispatch.D, Wire.GatewayMessageDelete));
                    break;
                case GatewayEvents.ChannelCreate:
                    Raise(ChannelCreated, Read(dispatch.D, Wire.GatewayChannel));
                    break;
                case GatewayEvents.GuildCreate:
                    Raise(GuildCreated, Read(dispatch.D, Wire.GatewayGuild));
                    break;
                case GatewayEvents.GuildDelete:
                    Raise(GuildDeleted, Read(dispatch.D, Wire.GatewayGuildDelete));
                    break;
                case GatewayEvents.GuildMemberAdd:
                    Raise(GuildMemberAdded, Read(dispatch.D, Wire.GatewayGuildMember));
                    break;
                case GatewayEvents.GuildMemberRemove:
                    Raise(GuildMemberRemoved, Read(dispatch.D, Wire.GatewayGuildMember));
                    break;
                case GatewayEvents.PresenceUpdate:
                    Raise(PresenceUpdated, Read(dispatch.D, Wire.GatewayPresence));
                    break;
            }
        }
        catch (Exception ex) when (IsDecodeError(ex))
        {
            // A dispatch the records cannot read (a newer or broken server) still went out raw.
        }
    }

    private void OnReady(JsonElement data)
    {
        TaskCompletionSource<GatewayReady>? pending;
        lock (_gate)
        {
            pending = _pendingReady;
            _pendingReady = null;
        }
        try
        {
            var ready = Read(data, Wire.GatewayReady);
            Volatile.Write(ref _ready, ready);
            Volatile.Write(ref _sessionId, ready.SessionId);
            pending?.TrySetResult(ready);
        }
        catch (Exception ex) when (IsDecodeError(ex))
        {
            pending?.TrySetException(ex);
        }
    }

    private void OnOp(string op, JsonElement frame)
    {
        switch (op)
        {
            case GatewayOps.Hello:
                try
                {
                    if (frame.Deserialize(Wire.GatewayHello)?.D is { HeartbeatInterval: > 0 } hello)
                    {
                        _hello.TrySetResult(TimeSpan.FromMilliseconds(hello.HeartbeatInterval));
                    }
                }
                catch (Exception ex) when (IsDecodeError(ex))
                {
                    // Without an interval there is nothing to keep time by; the server's 4009 will say so.
                }
                break;
            case GatewayOps.HeartbeatAck:
                EventRaiser.Raise(this, HeartbeatAcknowledged, EventHandlerFailed);
                break;
            case GatewayOps.InvalidSession:
                StopHeartbeats();
                Volatile.Write(ref _sessionId, null);
                Interlocked.Exchange(ref _lastSequence, 0);
                EventRaiser.Raise(this, InvalidSession, EventHandlerFailed);
                break;
        }
    }

    private void OnClosed()
    {
        TaskCompletionSource<GatewayReady>? pending;
        lock (_gate)
        {
            _closed = true;
            _heartbeats?.Cancel();
            _heartbeats = null;
            pending = _pendingReady;
            _pendingReady = null;
        }
        _hello.TrySetCanceled(CancellationToken.None);
        pending?.TrySetException(new ParleyConnectionClosedException(_socket.Closed.Result, _socket.CloseDescription));
    }

    private void Raise<T>(EventHandler<T>? handler, T args) => EventRaiser.Raise(this, handler, args, EventHandlerFailed);

    private static T Read<T>(JsonElement data, JsonTypeInfo<T> type) => data.Deserialize(type) ?? throw new JsonException("Empty data.");

    private static bool IsDecodeError(Exception ex) => ex is JsonException or NotSupportedException or FormatException or InvalidOperationException;
}
