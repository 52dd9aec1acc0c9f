namespace Parley.Server.Fanout;

/// <summary>Single-node presence: socket sets per (channel, user) under one lock.</summary>
public sealed class InMemoryPresenceTracker : IPresenceTracker
{
    // A user has a socket or two in a channel: a small array (replaced, never mutated) per (channel, user) is
    // 40 bytes for one socket where a hash set is about 200, and every socket has an entry per joined channel.
    private readonly Dictionary<(long Channel, long User), Guid[]> _sockets = [];
    private readonly Dictionary<long, Dictionary<long, string>> _onlineByChannel = [];
    private readonly Lock _lock = new();

    public ValueTask<bool> AddAsync(PresenceEntry entry)
    {
        var key = (entry.ChannelId, entry.UserId);
        lock (_lock)
        {
            if (!_sockets.TryGetValue(key, out var sockets))
            {
                _sockets[key] = [entry.SocketId];
                if (!_onlineByChannel.TryGetValue(entry.ChannelId, out var online))
                {
                    _onlineByChannel[entry.ChannelId] = online = [];
                }
                online[entry.UserId] = entry.Username;
                return ValueTask.FromResult(true);
            }
            if (Array.IndexOf(sockets, entry.SocketId) < 0)
            {
                _sockets[key] = [.. sockets, entry.SocketId];
            }
            return ValueTask.FromResult(false);
        }
    }

    public ValueTask<bool> RemoveAsync(PresenceEntry entry)
    {
        var key = (entry.ChannelId, entry.UserId);
        lock (_lock)
        {
            if (!_sockets.TryGetValue(key, out var sockets) || Array.IndexOf(sockets, entry.SocketId) < 0)
            {
                return ValueTask.FromResult(false);
            }
            if (sockets.Length == 1)
            {
                _sockets.Remove(key);
                if (_onlineByChannel.TryGetValue(entry.ChannelId, out var online) && online.Remove(entry.UserId) && online.Count == 0)
                {
                    _onlineByChannel.Remove(entry.ChannelId);
                }
                return ValueTask.FromResult(true);
            }
            _sockets[key] = [.. sockets.Where(s => s != entry.SocketId)];
            return ValueTask.FromResult(false);
        }
    }

    public ValueTask<IReadOnlyList<OnlineUser>> ListOnlineAsync(long channelId)
    {
        lock (_lock)
        {
            IReadOnlyList<OnlineUser> users = _onlineByChannel.TryGetValue(channelId, out var online)
                ? [.. online.Select(u => new OnlineUser(u.Key, u.Value))]
                : [];
            return ValueTask.FromResult(users);
        }
    }
}
