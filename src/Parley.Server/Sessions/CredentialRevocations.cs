using System.Collections.Concurrent;

namespace Parley.Server.Sessions;

/// <summary>
/// Tells open sockets that the credential (session or API token) they authenticated with was revoked,
/// so that they close with 4001. Keyed by the credential's stored hash.
/// </summary>
public sealed class CredentialRevocations
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action>> _listeners = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="onRevoked"/> when the credential is revoked; dispose to stop listening.</summary>
    public IDisposable Listen(string credentialHash, Action onRevoked)
    {
        var id = Guid.NewGuid();
        _listeners.GetOrAdd(credentialHash, _ => new()).TryAdd(id, onRevoked);
        return new Registration(this, credentialHash, id);
    }

    /// <summary>Notifies this node's listeners. Scale-out forwards remote revocations here too.</summary>
    public void Revoke(string credentialHash)
    {
        if (_listeners.TryRemove(credentialHash, out var listeners))
        {
            foreach (var listener in listeners.Values)
            {
                listener();
            }
        }
    }

    private sealed class Registration(CredentialRevocations owner, string hash, Guid id) : IDisposable
    {
        public void Dispose()
        {
            if (owner._listeners.TryGetValue(hash, out var listeners))
            {
                listeners.TryRemove(id, out _);
            }
        }
    }
}
