using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Sessions;

/// <summary>
/// Keeps every open socket on a credential that the HTTP API would accept. A socket is watched from before its
/// credential is checked until it closes, so a logout racing the upgrade is either heard by the listener or makes
/// the check fail. The credentials of this node's sockets are checked against the store again, in batches: after a
/// bus outage and on the thorough resync (a logout whose publication was lost), and when one is due to expire
/// (the socket is closed with 4001, or its session slid while in use: <see cref="LoginSessionOptions.SocketsKeepSessionsAlive"/>).
/// Credentials found dead are revoked on this node, which closes their sockets with 4001 and ends their gateway sessions.
/// </summary>
public sealed class CredentialMonitor : IBusGapRecovery, IDisposable
{
    /// <summary>Credentials per store query: one round trip re-checks this many, and the query stays small.</summary>
    internal const int BatchSize = 500;

    // A check the store could not answer is retried after this, but never later than the credential's expiry.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly SessionService _sessions;
    private readonly CredentialRevocations _revocations;
    private readonly LoginSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CredentialMonitor> _logger;
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    // When each credential is next due, popped by the timer; an entry whose credential is gone or was rescheduled
    // is skipped (its DueAt no longer matches), and the queue is rebuilt when such entries outnumber the live ones.
    private readonly PriorityQueue<string, DateTime> _due = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly ITimer _timer;
    private DateTime _timerAt = DateTime.MaxValue;

    public CredentialMonitor(
        SessionService sessions,
        CredentialRevocations revocations,
        IOptions<LoginSessionOptions> options,
        TimeProvider time,
        ILogger<CredentialMonitor> logger)
    {
        _sessions = sessions;
        _revocations = revocations;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(static state => _ = ((CredentialMonitor)state!).CheckDueAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The number of distinct credentials of open sockets on this node.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tracked.Count;
            }
        }
    }

    /// <summary>
    /// Listens for the end of the credential, then checks it in the store: null when it no longer authenticates
    /// (the socket must be refused with 4001); else dispose the result when the socket closes.
    /// <paramref name="onEnded"/> runs when the credential is revoked or expires while watched.
    /// </summary>
    public async Task<IDisposable?> WatchAsync(string credentialHash, Action onEnded, CancellationToken cancellationToken)
    {
        // The order is the point: a logout deletes, then publishes. Either its delete precedes the read below,
        // which then fails, or its publication follows the listener registered here.
        var listener = _revocations.Listen(credentialHash, onEnded);
        try
        {
            var live = await _sessions.FindLiveAsync([credentialHash], cancellationToken);
            if (live.Count == 0)
            {
                listener.Dispose();
                return null;
            }
            Track(live[0]);
            return new Watch(this, credentialHash, listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Re-checks every watched credential (the bus may have lost logouts); the dead ones come back as revocations.</summary>
    public async Task<IReadOnlyList<ChatEvent>> RecoverAsync(BusRecovery kind, CancellationToken cancellationToken)
    {
        // Per open credential, so not on every tick: after an outage, and every thorough resync interval.
        if (kind != BusRecovery.Thorough)
        {
            return [];
        }
        await _checking.WaitAsync(cancellationToken);
        try
        {
            List<string> hashes;
            lock (_lock)
            {
                hashes = [.. _tracked.Where(t => !t.Value.Ended).Select(t => t.Key)];
            }
            var ended = await RecheckAsync(hashes, cancellationToken);
            return [.. ended.Select(hash => new CredentialRevoked(hash))];
        }
        finally
        {
            _checking.Release();
            ArmForNext();
        }
    }

    private async Task CheckDueAsync()
    {
        await _checking.WaitAsync();
        try
        {
            var now = Now;
            var due = new List<string>();
            lock (_lock)
            {
                _timerAt = DateTime.MaxValue;
                while (_due.TryPeek(out var hash, out var at) && at <= now)
                {
                    _due.Dequeue();
                    if (_tracked.TryGetValue(hash, out var tracked) && tracked.DueAt == at && !tracked.Ended)
                    {
                        tracked.DueAt = null;
                        due.Add(hash);
                    }
                }
            }
            foreach (var hash in await RecheckAsync(due, CancellationToken.None))
            {
                _revocations.Revoke(hash);
            }
        }
        catch (Exception ex)
        {
            // A timer callback has nobody to throw to; what was not rescheduled is found by the next resync.
            SessionLog.RecheckFailed(_logger, 0, ex);
        }
        finally
        {
            _checking.Release();
            ArmForNext();
        }
    }

    /// <summary>Checks the credentials in the store and reschedules them; returns those that ended.</summary>
    private async Task<List<string>> RecheckAsync(List<string> hashes, CancellationToken cancellationToken)
    {
        var ended = new List<string>();
        var slid = 0;
        foreach (var batch in hashes.Chunk(BatchSize))
        {
            IReadOnlyList<LiveCredential> live;
            try
            {
                live = await _sessions.FindLiveAsync(batch, cancellationToken);
            }
            catch (Exception ex)
            {
                SessionLog.RecheckFailed(_logger, batch.Length, ex);
                Unconfirmed(batch, ended);
                continue;
            }
            var byHash = live.ToDictionary(c => c.Hash, StringComparer.Ordinal);
            foreach (var hash in batch)
            {
                if (!byHash.TryGetValue(hash, out var credential))
                {
                    SessionLog.CredentialEnded(_logger, "no longer valid (logged out, revoked or expired)");
                    End(hash, ended);
                    continue;
                }
                var expiresAt = credential.ExpiresAt;
                if (credential.IsSession && _options.SocketsKeepSessionsAlive && expiresAt - Now < _options.Lifetime / 2)
                {
                    try
                    {
                        expiresAt = await _sessions.KeepSessionAliveAsync(hash, cancellationToken);
                        slid++;
                    }
                    catch (Exception ex)
                    {
                        SessionLog.KeepAliveFailed(_logger, ex);
                        Unconfirmed([hash], ended, expiresAt);
                        continue;
                    }
                }
                Confirmed(hash, expiresAt);
            }
        }
        SessionLog.Rechecked(_logger, hashes.Count, ended.Count, slid);
        return ended;
    }

    private void Track(LiveCredential credential)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue(credential.Hash, out var tracked))
            {
                tracked.Sockets++;
                if (tracked.Ended || credential.ExpiresAt > tracked.ExpiresAt)
                {
                    // Just read from the store, so at least as fresh as what is known (an ended one was only
                    // unconfirmed: the store could not answer, and now it says the credential lives).
                    tracked.Ended = false;
                    tracked.ExpiresAt = credential.ExpiresAt;
                    Schedule(credential.Hash, tracked, DueOf(tracked));
                }
                return;
            }
            tracked = new Tracked(credential.IsSession) { Sockets = 1, ExpiresAt = credential.ExpiresAt };
            _tracked[credential.Hash] = tracked;
            Schedule(credential.Hash, tracked, DueOf(tracked));
        }
    }

    private void Untrack(string hash)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue(hash, out var tracked) && --tracked.Sockets == 0)
            {
                _tracked.Remove(hash);
                CompactIfStale();
            }
        }
    }

    /// <summary>Its sockets are closing: they stay tracked until they have closed, but are not checked again.</summary>
    private void End(string hash, List<string> ended)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue(hash, out var tracked))
            {
                tracked.Ended = true;
            }
        }
        ended.Add(hash);
    }

    private void Confirmed(string hash, DateTime? expiresAt)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue(hash, out var tracked))
            {
                tracked.ExpiresAt = expiresAt;
                Schedule(hash, tracked, DueOf(tracked));
            }
        }
    }

    /// <summary>
    /// The store could not answer: a credential past its last known expiry is treated as ended (the HTTP API would
    /// not accept it either), the others are checked again soon.
    /// </summary>
    private void Unconfirmed(IEnumerable<string> hashes, List<string> ended, DateTime? knownExpiry = null)
    {
        var now = Now;
        lock (_lock)
        {
            foreach (var hash in hashes)
            {
                if (!_tracked.TryGetValue(hash, out var tracked))
                {
                    continue;
                }
                var expiresAt = knownExpiry ?? tracked.ExpiresAt;
                if (expiresAt <= now)
                {
                    SessionLog.CredentialEnded(_logger, "past its expiry, which the store could not confirm as extended");
                    tracked.Ended = true;
                    ended.Add(hash);
                    continue;
                }
                var retry = now + RetryDelay;
                Schedule(hash, tracked, expiresAt < retry ? expiresAt : retry);
            }
        }
    }

    /// <summary>When a credential must be looked at next: before its expiry by half a lifetime when the socket keeps the session alive, else at its expiry.</summary>
    private DateTime? DueOf(Tracked tracked) =>
        tracked.IsSession && _options.SocketsKeepSessionsAlive ? tracked.ExpiresAt - _options.Lifetime / 2 : tracked.ExpiresAt;

    /// <summary>Called under the lock.</summary>
    private void Schedule(string hash, Tracked tracked, DateTime? dueAt)
    {
        // A non-null DueAt is in the queue (popping clears it): the same time again needs no second entry.
        if (tracked.DueAt == dueAt)
        {
            return;
        }
        tracked.DueAt = dueAt;
        if (dueAt is not { } at)
        {
            return;
        }
        _due.Enqueue(hash, at);
        CompactIfStale();
        if (at < _timerAt)
        {
            Arm(at);
        }
    }

    private void ArmForNext()
    {
        lock (_lock)
        {
            if (_due.TryPeek(out _, out var at) && at < _timerAt)
            {
                Arm(at);
            }
        }
    }

    /// <summary>Called under the lock.</summary>
    private void Arm(DateTime at)
    {
        _timerAt = at;
        var delay = at - Now;
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Called under the lock: keeps the queue's skipped entries from outgrowing the live ones.</summary>
    private void CompactIfStale()
    {
        if (_due.Count <= 2 * _tracked.Count + 64)
        {
            return;
        }
        _due.Clear();
        foreach (var (hash, tracked) in _tracked)
        {
            if (tracked.DueAt is { } at)
            {
                _due.Enqueue(hash, at);
            }
        }
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public void Dispose() => _timer.Dispose();

    private sealed class Tracked(bool isSession)
    {
        public bool IsSession { get; } = isSession;

        /// <summary>Open sockets (on this node) authenticated by the credential.</summary>
        public int Sockets { get; set; }

        public DateTime? ExpiresAt { get; set; }

        public DateTime? DueAt { get; set; }

        /// <summary>Found dead and revoked on this node; a new socket cannot bring it back (its check fails).</summary>
        public bool Ended { get; set; }
    }

    private sealed class Watch(CredentialMonitor owner, string hash, IDisposable listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                listener.Dispose();
                owner.Untrack(hash);
            }
        }
    }
}
