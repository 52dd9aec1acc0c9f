namespace Parley.Server.Fanout;

/// <summary>Single-node presence: socket sets per (channel, user) under one lock.</summary>
public sealed class InMemoryPresenceTracker : IPresenceTracker
{
    private readonly Dictionary<(long Channel, long User), HashSet<Guid>> _sockets = [];
    private readonly Lock _lock = new();

    public ValueTask<bool> AddAsync(PresenceEntry entry)
    {
        lock (_lock)
        {
            if (!_sockets.TryGetValue((entry.ChannelId, entry.UserId), out var sockets))
            {
                _sockets[(entry.ChannelId, entry.UserId)] = sockets = [];
            }
            return ValueTask.FromResult(sockets.Add(entry.SocketId) && sockets.Count == 1);
        }
    }

    public ValueTask<bool> RemoveAsync(PresenceEntry entry)
    {
        lock (_lock)
        {
            if (!_sockets.TryGetValue((entry.ChannelId, entry.UserId), out var sockets) || !sockets.Remove(entry.SocketId))
            {
                return ValueTask.FromResult(false);
            }
            if (sockets.Count == 0)
            {
                _sockets.Remove((entry.ChannelId, entry.UserId));
                return ValueTask.FromResult(true);
            }
            return ValueTask.FromResult(false);
        }
    }
}
