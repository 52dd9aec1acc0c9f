using Parley.Protocol.Gateway;
using Parley.Server.Workspaces;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// One identified gateway session: its per-session sequence numbers and the bounded buffer of its latest
/// dispatches, which outlive the socket for <see cref="GatewayOptions.ResumeWindow"/> so that a client can
/// RESUME after a reconnect. While no socket is attached, dispatches keep being numbered and buffered.
/// </summary>
/// <remarks>
/// Everything happens under one lock, and sending only enqueues into the socket's queue, so the order in
/// which frames are queued is the order of <c>s</c>, for live dispatches and replays alike. A dispatch of a
/// workspace the user is no longer a member of is never sent (live or replayed), except the GUILD_DELETE
/// that tells them so.
/// </remarks>
internal sealed class GatewaySession(string id, long userId, string credentialHash, int bufferSize, MembershipIndex memberships)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Seq, GatewayDispatch Dispatch)> _buffer = new();
    private List<GatewayDispatch>? _held = [];
    private SocketConnection? _connection;
    private long _lastSeq;
    private long _detachedAt;
    private bool _ended;

    public string Id { get; } = id;

    public long UserId { get; } = userId;

    /// <summary>The stored hash of the session cookie or API token the session was identified with.</summary>
    public string CredentialHash { get; } = credentialHash;

    /// <summary>Set by the registry: stops listening for the credential's revocation when the session ends.</summary>
    public IDisposable? RevocationListener { get; set; }

    public bool IsAttached
    {
        get
        {
            lock (_gate)
            {
                return _connection is not null;
            }
        }
    }

    /// <summary>Numbers, buffers and (when a socket is attached) sends a dispatch. Held until READY is out.</summary>
    public void Dispatch(GatewayDispatch dispatch)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }
            if (_held is not null)
            {
                if (_held.Count < bufferSize)
                {
                    _held.Add(dispatch);
                }
                return;
            }
            DeliverLocked(dispatch);
        }
    }

    /// <summary>Attaches the identifying socket, sends READY as <c>s</c> = 1, then what arrived meanwhile.</summary>
    public void Ready(SocketConnection connection, GatewayDispatch ready)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }
            _connection = connection;
            _lastSeq = 1;
            connection.Send(ready.Frame(1));
            var held = _held ?? [];
            _held = null;
            foreach (var dispatch in held)
            {
                DeliverLocked(dispatch);
            }
        }
    }

    /// <summary>
    /// Attaches a reconnected socket and replays, in order, every buffered dispatch after <paramref name="seq"/>;
    /// then live dispatches follow. Null when the session cannot resume from there (a reason otherwise),
    /// with the socket that was attached before, if any, in <paramref name="previous"/>.
    /// </summary>
    public string? TryResume(SocketConnection connection, long seq, long now, TimeSpan window, TimeProvider time, out SocketConnection? previous)
    {
        previous = null;
        lock (_gate)
        {
            if (_ended || _held is not null)
            {
                return "session ended or not ready";
            }
            if (_connection is null && time.GetElapsedTime(_detachedAt, now) >= window)
            {
                return "resume window passed";
            }
            var oldest = _buffer.Count > 0 ? _buffer.Peek().Seq : _lastSeq + 1;
            if (seq < 1 || seq > _lastSeq || seq + 1 < oldest)
            {
                return $"seq {seq} outside {oldest - 1}..{_lastSeq}";
            }
            previous = _connection;
            _connection = connection;
            foreach (var (s, dispatch) in _buffer)
            {
                if (s > seq && IsVisible(dispatch))
                {
                    connection.Send(dispatch.Frame(s));
                }
            }
            return null;
        }
    }

    /// <summary>The socket closed: keep buffering for a RESUME from now on.</summary>
    public void Detach(SocketConnection connection, long now)
    {
        lock (_gate)
        {
            if (_connection == connection)
            {
                _connection = null;
                _detachedAt = now;
            }
        }
    }

    /// <summary>True when no socket is attached and the resume window has passed.</summary>
    public bool HasExpired(long now, TimeSpan window, TimeProvider time)
    {
        lock (_gate)
        {
            return _ended || (_connection is null && _held is null && time.GetElapsedTime(_detachedAt, now) >= window);
        }
    }

    /// <summary>Ends the session for good (expired, credential revoked, evicted): it can never resume.</summary>
    public void End()
    {
        lock (_gate)
        {
            _ended = true;
            _connection = null;
            _held = null;
            _buffer.Clear();
        }
    }

    private void DeliverLocked(GatewayDispatch dispatch)
    {
        if (!IsVisible(dispatch))
        {
            return;
        }
        var seq = ++_lastSeq;
        _buffer.Enqueue((seq, dispatch));
        while (_buffer.Count > bufferSize)
        {
            _buffer.Dequeue();
        }
        _connection?.Send(dispatch.Frame(seq));
    }

    /// <summary>Dispatches of a workspace reach members only (checked again at send time, so a removal takes effect at once).</summary>
    private bool IsVisible(GatewayDispatch dispatch) =>
        dispatch.WorkspaceId is not { } workspaceId
        || dispatch.T == GatewayEvents.GuildDelete
        || memberships.IsMember(workspaceId, UserId);
}
