namespace Parley.Server.Sessions;

/// <summary>
/// Tells open sockets that the credential (session or API token) they authenticated with was revoked,
/// so that they close with 4001. Keyed by the credential's stored hash.
/// </summary>
public sealed class CredentialRevocations
{
    // Each socket listens for as long as it is open, so a listener is one small object in a per-credential
    // array (replaced, never mutated) rather than an entry in a concurrent dictionary per credential.
    private readonly Dictionary<string, Registration[]> _listeners = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Calls <paramref name="onRevoked"/> when the credential is revoked; dispose to stop listening.</summary>
    public IDisposable Listen(string credentialHash, Action onRevoked)
    {
        var registration = new Registration(this, credentialHash, onRevoked);
        lock (_lock)
        {
            _listeners[credentialHash] = _listeners.TryGetValue(credentialHash, out var listeners) ? [.. listeners, registration] : [registration];
        }
        return registration;
    }

    /// <summary>Notifies this node's listeners. Scale-out forwards remote revocations here too.</summary>
    public void Revoke(string credentialHash)
    {
        Registration[]? listeners;
        lock (_lock)
        {
            _listeners.Remove(credentialHash, out listeners);
        }
        foreach (var listener in listeners ?? [])
        {
            listener.OnRevoked();
        }
    }

    private void Remove(Registration registration)
    {
        lock (_lock)
        {
            if (_listeners.TryGetValue(registration.CredentialHash, out var listeners) && Array.IndexOf(listeners, registration) >= 0)
            {
                if (listeners.Length == 1)
                {
                    _listeners.Remove(registration.CredentialHash);
                }
                else
                {
                    _listeners[registration.CredentialHash] = [.. listeners.Where(l => l != registration)];
                }
            }
        }
    }

    private sealed class Registration(CredentialRevocations owner, string credentialHash, Action onRevoked) : IDisposable
    {
        public string CredentialHash { get; } = credentialHash;

        public Action OnRevoked { get; } = onRevoked;

        public void Dispose() => owner.Remove(this);
    }
}
