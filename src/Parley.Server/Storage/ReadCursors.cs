namespace Parley.Server.Storage;

/// <summary>Derives per-message readers from read cursors, the same way for every backend.</summary>
internal static class ReadCursors
{
    /// <summary>
    /// Readers of each message from the cursors of its channel (<paramref name="cursorsOf"/>, by user id): users
    /// other than the author whose cursor is at or past the message's seq. A user's cursor says nothing about their
    /// own messages, so an author never appears as a reader of their message.
    /// </summary>
    public static IReadOnlyDictionary<long, IReadOnlyList<long>> ReadersOf(
        IReadOnlyCollection<StoredMessage> messages, IReadOnlyDictionary<long, List<(long UserId, long LastReadSeq)>> cursorsOf)
    {
        var readers = new Dictionary<long, IReadOnlyList<long>>();
        foreach (var message in messages)
        {
            if (!cursorsOf.TryGetValue(message.ChannelId, out var cursors))
            {
                continue;
            }
            var users = cursors.Where(c => c.LastReadSeq >= message.Seq && c.UserId != message.AuthorId).Select(c => c.UserId).ToList();
            if (users.Count > 0)
            {
                readers[message.Id] = users;
            }
        }
        return readers;
    }

    /// <summary>The channels of <paramref name="messages"/> with the lowest seq asked for in each.</summary>
    public static IEnumerable<(long ChannelId, long MinSeq)> Channels(IReadOnlyCollection<StoredMessage> messages) =>
        messages.GroupBy(m => m.ChannelId).Select(g => (g.Key, g.Min(m => m.Seq)));

    /// <summary>Readers of a DM's newest message from its two users' cursors: the one who did not write it, if their cursor reached it.</summary>
    public static IReadOnlyList<long> ReadersOfLast(StoredMessage? last, long userId, long? userCursor, long partnerId, long? partnerCursor)
    {
        if (last is null)
        {
            return [];
        }
        var (readerId, cursor) = last.AuthorId == userId ? (partnerId, partnerCursor) : (userId, userCursor);
        return cursor >= last.Seq ? [readerId] : [];
    }
}
