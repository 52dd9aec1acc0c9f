using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Parley.Server.Accounts;

/// <summary>
/// Counts failed logins per username and per client address in sliding windows. A throttled login is
/// refused before the password is checked, with the same answer whether or not the username exists.
/// </summary>
public sealed class LoginThrottle(IOptions<AccountOptions> options, TimeProvider time)
{
    private readonly AccountOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, FailureLog> _byUsername = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FailureLog> _byAddress = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null when a login may be attempted now.</summary>
    public TimeSpan? RetryAfter(string username, string address)
    {
        var now = time.GetUtcNow();
        var userWait = Wait(_byUsername, username, _options.MaxFailuresPerUsername, _options.UsernameFailureWindow, now);
        var addressWait = Wait(_byAddress, address, _options.MaxFailuresPerAddress, _options.AddressFailureWindow, now);
        return (userWait, addressWait) switch
        {
            (null, null) => null,
            ({ } u, null) => u,
            (null, { } a) => a,
            ({ } u, { } a) => u > a ? u : a,
        };
    }

    public void RecordFailure(string username, string address)
    {
        var now = time.GetUtcNow();
        _byUsername.GetOrAdd(username, _ => new FailureLog()).Add(now, _options.UsernameFailureWindow);
        _byAddress.GetOrAdd(address, _ => new FailureLog()).Add(now, _options.AddressFailureWindow);
    }

    public void RecordSuccess(string username) => _byUsername.TryRemove(username, out _);

    private static TimeSpan? Wait(ConcurrentDictionary<string, FailureLog> logs, string key, int limit, TimeSpan window, DateTimeOffset now) =>
        logs.TryGetValue(key, out var log) ? log.Wait(now, limit, window) : null;

    private sealed class FailureLog
    {
        private readonly Queue<DateTimeOffset> _failures = new();

        public void Add(DateTimeOffset now, TimeSpan window)
        {
            lock (_failures)
            {
                Prune(now, window);
                _failures.Enqueue(now);
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

        private void Prune(DateTimeOffset now, TimeSpan window)
        {
            while (_failures.Count > 0 && _failures.Peek() <= now - window)
            {
                _failures.Dequeue();
            }
        }
    }
}
