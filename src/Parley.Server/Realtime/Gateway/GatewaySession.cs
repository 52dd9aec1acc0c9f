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
/// mirror sees dispatches in <c>s</c> order and a release after the last of them. Numbering and delivering are
/// here; resuming and taking over in <c>GatewaySession.Resume.cs</c>; detaching, expiry and ending in
/// <c>GatewaySession.Lifetime.cs</c>.
/// </remarks>
internal sealed partial class GatewaySession(
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
            mirror.Append(Id, seq, dispatch);
        }
        _connection?.Send(dispatch.Frame(seq));
    }

    /// <summary>Dispatches of a workspace reach members only (checked again at send time, so a removal takes effect at once).</summary>
    private bool IsVisible(GatewayDispatch dispatch) =>
        dispatch.WorkspaceId is not { } workspaceId
        || dispatch.T == GatewayEvents.GuildDelete
        || memberships.IsMember(workspaceId, UserId);
}
