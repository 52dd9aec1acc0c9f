namespace Parley.Server.Storage;

/// <summary>
/// One row of a user's DM conversations, newest activity first: the DM channel, the other user, the newest message
/// that is not deleted (null when none) with its readers, the user's unread count (capped) and the paging key
/// (<see cref="ActivityAt"/>, <see cref="LastMessageId"/>, channel id).
/// </summary>
public sealed record ConversationRecord(
    ChannelRecord Channel,
    UserRecord Partner,
    StoredMessage? LastMessage,
    IReadOnlyList<long> LastMessageReaders,
    int UnreadCount,
    DateTime ActivityAt,
    long LastMessageId);
