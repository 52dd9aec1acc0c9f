namespace Parley.Server.Fanout;

/// <summary>Single-node presence: socket sets per (channel, user) under one lock, grouped by channel.</summary>
public sealed class InMemoryPresenceTracker : IPresenceTracker
{
    // A user has a socket or two in a channel: a small array (replaced, never mutated) per (channel, user) is
    // 40 bytes for one socket where a hash set is about 200, and every socket has an entry per joined channel.
    // Grouped by channel so that listing a channel's online users reads only that channel.
    private readonly Dictionary<long, Dictionary<long, Online>> _byChannel = [];
    private readonly Lock _lock = new();

    public ValueTask<bool> AddAsync(PresenceEntry entry)
    {
        lock (_lock)
        {
            if (!_byChannel.TryGetValue(entry.ChannelId, out var users))
            {
                _byChannel[entry.ChannelId] = users = [];
            }
            if (!users.TryGetValue(entry.UserId, out var online))
            {
                users[entry.UserId] = new Online(entry.Username, [entry.SocketId]);
                return ValueTask.FromResult(true);
            }
            if (Array.IndexOf(online.Sockets, entry.SocketId) < 0)
            {
                users[entry.UserId] = online with { Sockets = [.. online.Sockets, entry.SocketId] };
            }
            return ValueTask.FromResult(false);
        }
    }

    public ValueTask<bool> RemoveAsync(PresenceEntry entry)
    {
        lock (_lock)
        {
            if (!_byChannel.TryGetValue(entry.ChannelId, out var users) || !users.TryGetValue(entry.UserId, out var online)
                || Array.IndexOf(online.Sockets, entry.SocketId) < 0)
            {
                return ValueTask.FromResult(false);
            }
            if (online.Sockets.Length == 1)
            {
                users.Remove(entry.UserId);
                if (users.Count == 0)
                {
                    _byChannel.Remove(entry.ChannelId);
                }
                return ValueTask.FromResult(true);
            }
            users[entry.UserId] = online with { Sockets = [.. online.Sockets.Where(s => s != entry.SocketId)] };
            return ValueTask.FromResult(false);
        }
    }

    public ValueTask<IReadOnlyList<OnlineUser>> ListOnlineAsync(long channelId)
    {
        lock (_lock)
        {
            IReadOnlyList<OnlineUser> online = _byChannel.TryGetValue(channelId, out var users)
                ? [.. users.Select(u => new OnlineUser(u.Key, u.Value.Username))]
                : [];
            return ValueTask.FromResult(online);
        }
    }

    public ValueTask<IReadOnlyDictionary<long, IReadOnlyList<OnlineUser>>> ListOnlineAsync(IReadOnlyCollection<long> channelIds)
    {
        var result = new Dictionary<long, IReadOnlyList<OnlineUser>>(channelIds.Count);
        lock (_lock)
        {
            foreach (var channelId in channelIds)
            {
                result[channelId] = _byChannel.TryGetValue(channelId, out var users) ? [.. users.Select(u => new OnlineUser(u.Key, u.Value.Username))] : [];
            }
        }
        return ValueTask.FromResult<IReadOnlyDictionary<long, IReadOnlyList<OnlineUser>>>(result);
    }

    private readonly record struct Online(string Username, Guid[] Sockets);
}
