using Parley.Client.Internal;
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
public sealed partial class ParleyGatewayConnection : IAsyncDisposable
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

}
