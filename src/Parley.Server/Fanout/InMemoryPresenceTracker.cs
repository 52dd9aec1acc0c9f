namespace Parley.Server.Fanout;

/// <summary>Single-node presence: socket sets per (channel, user) under one lock.</summary>
public sealed class InMemoryPresenceTracker : IPresenceTracker
{
    private readonly Dictionary<(long Channel, long User), HashSet<Guid>> _sockets = [];
    private readonly Lock _lock = new();

    public ValueTask<bool> AddAsync(long channelId, long userId, Guid socketId)
    {
        lock (_lock)
        {
            if (!_sockets.TryGetValue((channelId, userId), out var sockets))
            {
                _sockets[(channelId, userId)] = sockets = [];
            }
            return ValueTask.FromResult(sockets.Add(socketId) && sockets.Count == 1);
        }
    }

    public ValueTask<bool> RemoveAsync(long channelId, long userId, Guid socketId)
    {
        lock (_lock)
        {
            if (!_sockets.TryGetValue((channelId, userId), out var sockets) || !sockets.Remove(socketId))
            {
                return ValueTask.FromResult(false);
            }
            if (sockets.Count == 0)
            {
                _sockets.Remove((channelId, userId));
                return ValueTask.FromResult(true);
            }
            return ValueTask.FromResult(false);
        }
    }
}
