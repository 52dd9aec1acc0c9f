namespace Parley.Server.Fanout;

/// <summary>
/// Which users have sockets in which channels. Presence is per user: only the first socket of a user
/// in a channel makes them online, and only the last one leaving makes them offline.
/// </summary>
public interface IPresenceTracker
{
    /// <summary>Records a socket in a channel; true when it is the user's first there (now online).</summary>
    ValueTask<bool> AddAsync(long channelId, long userId, Guid socketId);

    /// <summary>Removes a socket from a channel; true when it was the user's last there (now offline).</summary>
    ValueTask<bool> RemoveAsync(long channelId, long userId, Guid socketId);
}
