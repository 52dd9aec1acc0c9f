using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Server.Sessions;
using Parley.Server.Workspaces;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// This node's gateway sessions, by id (for RESUME) and by user (for routing dispatches). A session whose
/// socket closed stays for <see cref="GatewayOptions.ResumeWindow"/>, then a sweep drops it. A session ends at
/// once when the credential it was identified with is revoked (logout, token revoked): it never resumes.
/// With several nodes a session also moves: another node claims it (<see cref="Release"/> here) or this node
/// takes one over (<see cref="CreateForTakeOver"/>); see <see cref="IGatewaySessionMirror"/>.
/// </summary>
internal sealed class GatewaySessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, GatewaySession> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<GatewaySession>> _byUser = [];
    private readonly Lock _lock = new();
    private readonly GatewayOptions _options;
    private readonly CredentialRevocations _revocations;
    private readonly MembershipIndex _memberships;
    private readonly IGatewaySessionMirror _mirror;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewaySessionRegistry> _logger;
    private readonly ITimer _sweeper;

    public GatewaySessionRegistry(
        IOptions<GatewayOptions> options,
        CredentialRevocations revocations,
        MembershipIndex memberships,
        IGatewaySessionMirror mirror,
        TimeProvider time,
        ILogger<GatewaySessionRegistry> logger)
    {
        _options = options.Value;
        _revocations = revocations;
        _memberships = memberships;
        _mirror = mirror;
        _time = time;
        _logger = logger;
        var period = TimeSpan.FromTicks(Math.Clamp(_options.ResumeWindow.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweeper = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    public TimeSpan ResumeWindow => _options.ResumeWindow;

    public int Count => _byId.Count;

    /// <summary>Creates and registers a session; from now on it receives the user's dispatches (held until READY).</summary>
    public GatewaySession Create(AuthenticatedUser user)
    {
        var session = New(SecretTokens.New("gw_"), user, claimId: null);
        _byId[session.Id] = session;
        Register(session, user);
        return session;
    }

    /// <summary>
    /// Registers this node's copy of a session held by another node, before claiming it: from now on it receives
    /// the user's dispatches and holds them until <see cref="GatewaySession.TryTakeOver"/>. Null when a session
    /// with that id is already here.
    /// </summary>
    public GatewaySession? CreateForTakeOver(string sessionId, AuthenticatedUser user, Guid claimId)
    {
        var session = New(sessionId, user, claimId);
        if (!_byId.TryAdd(sessionId, session))
        {
            session.RevocationListener?.Dispose();
            return null;
        }
        Register(session, user);
        return session;
    }

    private GatewaySession New(string id, AuthenticatedUser user, Guid? claimId)
    {
        var session = new GatewaySession(id, user.Id, user.CredentialHash, _options.ResumeBufferSize, _memberships, _mirror, _time, claimId);
        session.RevocationListener = _revocations.Listen(user.CredentialHash, () => End(session, "credential revoked"));
        return session;
    }

    private void Register(GatewaySession session, AuthenticatedUser user)
    {
        GatewaySession? evicted = null;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(user.Id, out var sessions))
            {
                _byUser[user.Id] = sessions = [];
            }
            if (sessions.Count >= _options.MaxSessionsPerUser)
            {
                evicted = sessions.FirstOrDefault(s => !s.IsAttached);
            }
            sessions.Add(session);
        }
        // A session outlives its socket (RESUME window): it keeps the user's memberships cached for its dispatches.
        // Its socket pinned them already, so this completes at once.
        _ = _memberships.PinAsync(user.Id, CancellationToken.None);
        if (evicted is not null)
        {
            End(evicted, "too many sessions");
        }
    }

    public GatewaySession? Find(string sessionId) => _byId.GetValueOrDefault(sessionId);

    /// <summary>A snapshot of the user's sessions on this node.</summary>
    public GatewaySession[] OfUser(long userId)
    {
        lock (_lock)
        {
            return _byUser.TryGetValue(userId, out var sessions) ? [.. sessions] : [];
        }
    }

    /// <summary>Ends a session for good and forgets it; returns the socket that was attached, if any.</summary>
    public SocketConnection? End(GatewaySession session, string reason)
    {
        var attached = session.End();
        Forget(session, reason);
        return attached;
    }

    /// <summary>
    /// Another node claimed the session: it stops here, after every dispatch this node numbered before hearing
    /// of the claim, and its socket, if still open, is closed as when a session is resumed elsewhere on one node.
    /// </summary>
    public void Release(GatewaySession session, Guid claimId)
    {
        var previous = session.Release(claimId);
        previous?.Close(1000, "Session resumed elsewhere");
        Forget(session, "claimed by another node");
    }

    private void Forget(GatewaySession session, string reason)
    {
        session.RevocationListener?.Dispose();
        // Only this very object: a session id taken over by this node again is another object.
        if (!_byId.TryRemove(new KeyValuePair<string, GatewaySession>(session.Id, session)))
        {
            return;
        }
        lock (_lock)
        {
            if (_byUser.TryGetValue(session.UserId, out var sessions))
            {
                sessions.Remove(session);
                if (sessions.Count == 0)
                {
                    _byUser.Remove(session.UserId);
                }
            }
        }
        _memberships.Unpin(session.UserId);
        GatewayLog.SessionEnded(_logger, session.Id, session.UserId, reason);
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var session in _byId.Values)
        {
            if (session.HasExpired(now, _options.ResumeWindow))
            {
                End(session, "resume window passed");
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}
