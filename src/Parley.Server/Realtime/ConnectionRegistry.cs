namespace Parley.Server.Realtime;

/// <summary>This node's open sockets: for the per-user quota, per-user delivery and closing all at shutdown.</summary>
public sealed class ConnectionRegistry
{
    // One map by user under one lock: the quota check and registration must be atomic anyway, and per-user
    // arrays (replaced, never mutated) cost an idle socket one slot instead of a dictionary node and a list.
    private readonly Dictionary<long, SocketConnection[]> _byUser = [];
    private readonly Lock _lock = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryRegister(SocketConnection connection, int maxPerUser)
    {
        var userId = connection.User!.Id;
        lock (_lock)
        {
            var sockets = _byUser.GetValueOrDefault(userId) ?? [];
            if (sockets.Length >= maxPerUser)
            {
                return false;
            }
            _byUser[userId] = [.. sockets, connection];
            _count++;
        }
        return true;
    }

    public void Unregister(SocketConnection connection)
    {
        var userId = connection.User!.Id;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userId, out var sockets) || Array.IndexOf(sockets, connection) < 0)
            {
                return;
            }
            if (sockets.Length == 1)
            {
                _byUser.Remove(userId);
            }
            else
            {
                _byUser[userId] = [.. sockets.Where(s => s != connection)];
            }
            _count--;
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

    /// <summary>A snapshot of every socket on this node.</summary>
    public ICollection<SocketConnection> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _byUser.Values.SelectMany(sockets => sockets)];
            }
        }
    }
}
