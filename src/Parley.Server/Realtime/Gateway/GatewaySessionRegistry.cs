using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Server.Sessions;
using Parley.Server.Workspaces;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// This node's gateway sessions, by id (for RESUME) and by user (for routing dispatches). A session whose
/// socket closed stays for <see cref="GatewayOptions.ResumeWindow"/>, then a sweep drops it. A session ends at
/// once when the credential it was identified with is revoked (logout, token revoked): it never resumes.
/// </summary>
internal sealed class GatewaySessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, GatewaySession> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<GatewaySession>> _byUser = [];
    private readonly Lock _lock = new();
    private readonly GatewayOptions _options;
    private readonly CredentialRevocations _revocations;
    private readonly MembershipIndex _memberships;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewaySessionRegistry> _logger;
    private readonly ITimer _sweeper;

    public GatewaySessionRegistry(
        IOptions<GatewayOptions> options,
        CredentialRevocations revocations,
        MembershipIndex memberships,
        TimeProvider time,
        ILogger<GatewaySessionRegistry> logger)
    {
        _options = options.Value;
        _revocations = revocations;
        _memberships = memberships;
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
        var session = new GatewaySession(SecretTokens.New("gw_"), user.Id, user.CredentialHash, _options.ResumeBufferSize, _memberships);
        session.RevocationListener = _revocations.Listen(user.CredentialHash, () => End(session, "credential revoked"));
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
        _byId[session.Id] = session;
        if (evicted is not null)
        {
            End(evicted, "too many sessions");
        }
        return session;
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

    /// <summary>Ends a session for good and forgets it.</summary>
    public void End(GatewaySession session, string reason)
    {
        session.End();
        session.RevocationListener?.Dispose();
        if (!_byId.TryRemove(session.Id, out _))
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
        GatewayLog.SessionEnded(_logger, session.Id, session.UserId, reason);
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var session in _byId.Values)
        {
            if (session.HasExpired(now, _options.ResumeWindow, _time))
            {
                End(session, "resume window passed");
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}
