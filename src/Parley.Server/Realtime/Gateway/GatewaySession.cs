using Parley.Server.Fanout;
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
/// that tells them so. The same lock orders the writes to the <see cref="IGatewaySessionMirror"/>, so the
/// mirror sees dispatches in <c>s</c> order and a release after the last of them.
/// </remarks>
internal sealed class GatewaySession(
    string id,
    long userId,
    string credentialHash,
    int bufferSize,
    MembershipIndex memberships,
    IGatewaySessionMirror mirror,
    TimeProvider time,
    Guid? claimId = null)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Seq, GatewayDispatch Dispatch)> _buffer = new();
    private List<GatewayDispatch>? _held = [];
    private bool _heldOverflowed;
    private SocketConnection? _connection;
    private long _lastSeq;
    private long _detachedAt;
    private bool _ended;
    private bool _ownsMirror;
    private HashSet<(Guid, string)>? _takenOverKeys;
    private long _takenOverKeysUntil;

    public string Id { get; } = id;

    public long UserId { get; } = userId;

    /// <summary>The stored hash of the session cookie or API token the session was identified with.</summary>
    public string CredentialHash { get; } = credentialHash;

    /// <summary>Set when this copy was created to take the session over from another node (its claim).</summary>
    public Guid? ClaimId { get; } = claimId;

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

    /// <summary>
    /// Numbers, buffers and (when a socket is attached) sends a dispatch. Held until READY is out, or until a
    /// session being taken over from another node has its replay.
    /// </summary>
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
                else
                {
                    _heldOverflowed = true;
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
            mirror.Open(Id, UserId, CredentialHash);
            _ownsMirror = true;
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
    public string? TryResume(SocketConnection connection, long seq, long now, TimeSpan window, out SocketConnection? previous)
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
            TouchMirrorLocked();
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

    /// <summary>
    /// Completes a take-over from another node (this copy was created with a <see cref="ClaimId"/> and has held
    /// every dispatch since): continues the numbering from <paramref name="mirrored"/>, attaches the socket,
    /// replays in order every mirrored dispatch after <paramref name="seq"/>, then numbers the held dispatches the
    /// old holder had not numbered. Null on success, else why the session cannot resume; the old holder has let
    /// go either way, so this copy now owns the mirror (and deletes it if it then ends).
    /// </summary>
    /// <param name="connection">The socket that sent RESUME.</param>
    /// <param name="seq">The last <c>s</c> the client received.</param>
    /// <param name="mirrored">The session as the old holder left it.</param>
    /// <param name="lateEventWindow">
    /// How long to recognize an event the old holder numbered that reaches this node late, so it is not sent twice.
    /// </param>
    public string? TryTakeOver(SocketConnection connection, long seq, MirroredSession mirrored, TimeSpan lateEventWindow)
    {
        lock (_gate)
        {
            if (_ended || _held is null || ClaimId is not { } claim)
            {
                return "session ended";
            }
            mirror.Adopt(Id, claim);
            _ownsMirror = true;
            if (_heldOverflowed)
            {
                return "too many dispatches during the hand-off";
            }
            var oldest = mirrored.Dispatches.Count > 0 ? mirrored.Dispatches[0].Seq : mirrored.LastSeq + 1;
            if (seq < 1 || seq > mirrored.LastSeq || seq + 1 < oldest)
            {
                return mirrored.HolderDied && seq > mirrored.LastSeq
                    ? $"seq {seq} is past what the dead holder mirrored ({mirrored.LastSeq})"
                    : $"seq {seq} outside {oldest - 1}..{mirrored.LastSeq}";
            }
            _lastSeq = mirrored.LastSeq;
            _takenOverKeys = [];
            foreach (var (mirroredSeq, mirroredDispatch) in mirrored.Dispatches.TakeLast(bufferSize))
            {
                var dispatch = GatewayDispatch.From(mirroredDispatch);
                _buffer.Enqueue((mirroredSeq, dispatch));
                _takenOverKeys.Add(dispatch.Key);
            }
            _takenOverKeysUntil = time.GetTimestamp() + (long)(lateEventWindow.TotalSeconds * time.TimestampFrequency);
            _connection = connection;
            foreach (var (s, dispatch) in _buffer)
            {
                if (s > seq && IsVisible(dispatch))
                {
                    connection.Send(dispatch.Frame(s));
                }
            }
            var held = _held;
            _held = null;
            foreach (var dispatch in held)
            {
                DeliverLocked(dispatch);
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
                // The resume window starts now, here and in the mirror.
                TouchMirrorLocked();
            }
        }
    }

    /// <summary>A heartbeat: the session is alive, so its mirror must not expire.</summary>
    public void Touch()
    {
        lock (_gate)
        {
            TouchMirrorLocked();
        }
    }

    /// <summary>True when no socket is attached and the resume window has passed.</summary>
    public bool HasExpired(long now, TimeSpan window)
    {
        lock (_gate)
        {
            return _ended || (_connection is null && _held is null && time.GetElapsedTime(_detachedAt, now) >= window);
        }
    }

    /// <summary>
    /// Ends the session for good (expired, credential revoked, evicted): it can never resume, here or elsewhere.
    /// Returns the socket that was attached, if any, for callers that must close it.
    /// </summary>
    public SocketConnection? End()
    {
        lock (_gate)
        {
            var attached = _connection;
            if (!_ended && _ownsMirror)
            {
                mirror.Delete(Id);
            }
            EndLocked();
            return attached;
        }
    }

    /// <summary>
    /// Another node claimed the session (<paramref name="claim"/>): stop numbering, and mark the mirror released
    /// after the last dispatch this node numbered. Returns the socket that was attached, if any, to be closed.
    /// </summary>
    public SocketConnection? Release(Guid claim)
    {
        lock (_gate)
        {
            var previous = _connection;
            if (!_ended && _ownsMirror)
            {
                mirror.Release(Id, claim);
            }
            EndLocked();
            return previous;
        }
    }

    private void EndLocked()
    {
        _ended = true;
        _ownsMirror = false;
        _connection = null;
        _held = null;
        _takenOverKeys = null;
        _buffer.Clear();
    }

    private void TouchMirrorLocked()
    {
        if (_ownsMirror && !_ended)
        {
            mirror.Touch(Id);
        }
    }

    private void DeliverLocked(GatewayDispatch dispatch)
    {
        if (_takenOverKeys is not null)
        {
            if (time.GetTimestamp() > _takenOverKeysUntil)
            {
                _takenOverKeys = null;
            }
            else if (_takenOverKeys.Contains(dispatch.Key))
            {
                // The old holder numbered it already (it is in the replay): an event that reached this node late.
                return;
            }
        }
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
        if (_ownsMirror)
        {
            mirror.Append(Id, seq, dispatch.ToMirrored());
        }
        _connection?.Send(dispatch.Frame(seq));
    }

    /// <summary>Dispatches of a workspace reach members only (checked again at send time, so a removal takes effect at once).</summary>
    private bool IsVisible(GatewayDispatch dispatch) =>
        dispatch.WorkspaceId is not { } workspaceId
        || dispatch.T == GatewayEvents.GuildDelete
        || memberships.IsMember(workspaceId, UserId);
}
