using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Parley.Server.Accounts;

/// <summary>
/// Counts failed logins per (username, client address) pair and per client address in sliding windows. A
/// throttled login is refused before the password is checked, with the same answer whether or not the
/// username exists.
/// </summary>
/// <remarks>
/// The account limit is kept per pair, not per username, so that a stranger's failures lock only the
/// stranger out of that account: its owner, from their own address, is not affected. Guessing is still
/// bounded by the per-address limit (and each pair's own). Both tables are bounded whatever is sent: an entry
/// keeps at most its limit's number of failures, expires with its window (each table sweeps at most once per
/// window, on a failure), and a table at
/// <see cref="AccountOptions.LoginThrottleCapacity"/> evicts its entries with the oldest failures first.
/// </remarks>
public sealed class LoginThrottle(IOptions<AccountOptions> options, TimeProvider time)
{
    private readonly FailureTable _byPair = new(options.Value.MaxFailuresPerUsername, options.Value.UsernameFailureWindow, options.Value.LoginThrottleCapacity);
    private readonly FailureTable _byAddress = new(options.Value.MaxFailuresPerAddress, options.Value.AddressFailureWindow, options.Value.LoginThrottleCapacity);

    /// <summary>Entries held per (username, address) pair; for tests and diagnostics.</summary>
    internal int TrackedPairs => _byPair.Count;

    /// <summary>Entries held per address; for tests and diagnostics.</summary>
    internal int TrackedAddresses => _byAddress.Count;

    /// <summary>How long the caller must wait, or null when a login may be attempted now.</summary>
    public TimeSpan? RetryAfter(string username, string address)
    {
        var now = time.GetUtcNow();
        var pairWait = _byPair.Wait(PairKey(username, address), now);
        var addressWait = _byAddress.Wait(address, now);
        return (pairWait, addressWait) switch
        {
            (null, null) => null,
            ({ } p, null) => p,
            (null, { } a) => a,
            ({ } p, { } a) => p > a ? p : a,
        };
    }

    public void RecordFailure(string username, string address)
    {
        var now = time.GetUtcNow();
        _byPair.Add(PairKey(username, address), now);
        _byAddress.Add(address, now);
    }

    /// <summary>A successful login forgives that address's failures for that username only.</summary>
    public void RecordSuccess(string username, string address) => _byPair.Forget(PairKey(username, address));

    // Usernames compare case-insensitively (as in the store); an address never contains '\n'.
    private static string PairKey(string username, string address) => string.Concat(address, "\n", username.ToUpperInvariant());

    /// <summary>Failure logs by key, bounded in entries and in time.</summary>
    private sealed class FailureTable(int limit, TimeSpan window, int configuredCapacity)
    {
        private readonly int _capacity = Math.Max(1, configuredCapacity);
        private readonly ConcurrentDictionary<string, FailureLog> _logs = new(StringComparer.Ordinal);
        private readonly Lock _sweepLock = new();
        private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

        public int Count => _logs.Count;

        public TimeSpan? Wait(string key, DateTimeOffset now) =>
            _logs.TryGetValue(key, out var log) ? log.Wait(now, limit, window) : null;

        public void Add(string key, DateTimeOffset now)
        {
            if (!_logs.ContainsKey(key))
            {
                MakeRoom(now);
            }
            // A log retired by a sweep between the lookup and the add is replaced by a fresh one.
            while (!_logs.GetOrAdd(key, _ => new FailureLog()).TryAdd(now, limit, window))
            {
            }
        }

        public void Forget(string key)
        {
            if (_logs.TryRemove(key, out var log))
            {
                log.Retire();
            }
        }

        /// <summary>
        /// Drops expired entries once per window, and when the table is full also the entries whose newest
        /// failure is oldest, a tenth of the capacity at a time, so the cost of a full table is amortized.
        /// </summary>
        private void MakeRoom(DateTimeOffset now)
        {
            var full = _logs.Count >= _capacity;
            if (!full && now - _lastSweep < window)
            {
                return;
            }
            lock (_sweepLock)
            {
                if (_logs.Count < _capacity && now - _lastSweep < window)
                {
                    return;
                }
                _lastSweep = now;
                foreach (var (key, log) in _logs)
                {
                    if (log.TryRetireExpired(now, window))
                    {
                        _logs.TryRemove(KeyValuePair.Create(key, log));
                    }
                }
                var excess = _logs.Count - (_capacity - Math.Max(1, _capacity / 10));
                if (excess <= 0)
                {
                    return;
                }
                foreach (var (key, log) in _logs.OrderBy(e => e.Value.Newest).Take(excess).ToList())
                {
                    log.Retire();
                    _logs.TryRemove(KeyValuePair.Create(key, log));
                }
            }
        }
    }

    /// <summary>The failures of one key inside its window; at most the limit's number of them is kept.</summary>
    private sealed class FailureLog
    {
        private readonly Queue<DateTimeOffset> _failures = new();
        private bool _retired;

        public DateTimeOffset Newest
        {
            get
            {
                lock (_failures)
                {
                    return _failures.Count > 0 ? _failures.Last() : DateTimeOffset.MinValue;
                }
            }
        }

        /// <summary>Records a failure; false when the log was retired and a new one must be used.</summary>
        public bool TryAdd(DateTimeOffset now, int limit, TimeSpan window)
        {
            lock (_failures)
            {
                if (_retired)
                {
                    return false;
                }
                Prune(now, window);
                _failures.Enqueue(now);
                // Only the newest `limit` failures decide when the key is released (see Wait).
                while (_failures.Count > limit)
                {
                    _failures.Dequeue();
                }
                return true;
            }
        }

        public TimeSpan? Wait(DateTimeOffset now, int limit, TimeSpan window)
        {
            lock (_failures)
            {
                Prune(now, window);
                if (_failures.Count < limit)
                {
                    return null;
                }
                // Throttled until enough failures have aged out of the window to fall below the limit.
                var releasing = _failures.ElementAt(_failures.Count - limit);
                return releasing + window - now;
            }
        }

        public bool TryRetireExpired(DateTimeOffset now, TimeSpan window)
        {
            lock (_failures)
            {
                Prune(now, window);
                _retired |= _failures.Count == 0;
                return _retired;
            }
        }

        public void Retire()
        {
            lock (_failures)
            {
                _retired = true;
            }
        }

        private void Prune(DateTimeOffset now, TimeSpan window)
        {
            while (_failures.Count > 0 && _failures.Peek() <= now - window)
            {
                _failures.Dequeue();
            }
        }
    }
}
