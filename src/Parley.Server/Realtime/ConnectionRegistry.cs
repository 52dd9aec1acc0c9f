using System.Collections.Concurrent;

namespace Parley.Server.Realtime;

/// <summary>This node's open sockets: for the per-user quota, per-user delivery and closing all at shutdown.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<Guid, SocketConnection> _all = new();
    private readonly Dictionary<long, List<SocketConnection>> _byUser = [];
    private readonly Lock _lock = new();

    public int Count => _all.Count;

    public bool TryRegister(SocketConnection connection, int maxPerUser)
    {
        var userId = connection.User!.Id;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var sockets))
            {
                _byUser[userId] = sockets = [];
            }
            if (sockets.Count >= maxPerUser)
            {
                return false;
            }
            sockets.Add(connection);
        }
        _all[connection.Id] = connection;
        return true;
    }

    public void Unregister(SocketConnection connection)
    {
        if (!_all.TryRemove(connection.Id, out _))
        {
            return;
        }
        lock (_lock)
        {
            if (_byUser.TryGetValue(connection.User!.Id, out var sockets))
            {
                sockets.Remove(connection);
                if (sockets.Count == 0)
                {
                    _byUser.Remove(connection.User.Id);
                }
            }
        }
    }

    /// <summary>A snapshot of the user's sockets on this node (all protocols).</summary>
    public SocketConnection[] OfUser(long userId)
    {
        lock (_lock)
        {
            return _byUser.TryGetValue(userId, out var sockets) ? [.. sockets] : [];
        }
    }

    public ICollection<SocketConnection> All => _all.Values;
}
