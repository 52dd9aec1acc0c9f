namespace Parley.Server.Fanout;

/// <summary>
/// Which users have sockets in which channels, across every node. Presence is per user: only the first
/// socket of a user in a channel makes them online, and only the last one leaving makes them offline.
/// Implementations are atomic per (channel, user), so two nodes adding at once announce online once.
/// </summary>
public interface IPresenceTracker
{
    /// <summary>Records a socket in a channel; true when it is the user's first there (now online).</summary>
    ValueTask<bool> AddAsync(PresenceEntry entry);

    /// <summary>Removes a socket from a channel; true when it was the user's last there (now offline).</summary>
    ValueTask<bool> RemoveAsync(PresenceEntry entry);

    /// <summary>
    /// The users online in the channel now, on every node, in no particular order; the cost follows the channel's
    /// online users, not all presence. A user whose node died may be listed until the dead node is swept. A user's
    /// online state changes here before the change is announced, so a snapshot read after subscribing to the
    /// channel's events plus the announcements after it converge to the truth.
    /// </summary>
    ValueTask<IReadOnlyList<OnlineUser>> ListOnlineAsync(long channelId);

    /// <summary>
    /// <see cref="ListOnlineAsync(long)"/> for each of <paramref name="channelIds"/> (with the same guarantees), in one
    /// lookup rather than one per channel: a map holding every channel asked, nobody online being an empty list. READY
    /// asks it for every channel it lists.
    /// </summary>
    ValueTask<IReadOnlyDictionary<long, IReadOnlyList<OnlineUser>>> ListOnlineAsync(IReadOnlyCollection<long> channelIds);
}
