using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Chat;

/// <summary>The <c>type</c> values of events the server sends on <c>/ws/chat</c>.</summary>
public static class ChatServerEventTypes
{
    /// <summary>Sent once after authentication.</summary>
    public const string Connected = "connected";
    /// <summary>Answer to <c>join_channel</c>.</summary>
    public const string JoinedChannel = "joined_channel";
    /// <summary>Answer to <c>leave_channel</c>.</summary>
    public const string LeftChannel = "left_channel";
    /// <summary>A stored message (echo to the sender, broadcast to others, or replay).</summary>
    public const string NewMessage = "new_message";
    /// <summary>Another user is typing.</summary>
    public const string UserTyping = "user_typing";
    /// <summary>(ext) Another user stopped typing.</summary>
    public const string UserStopTyping = "user_stop_typing";
    /// <summary>A user came online or went offline in a channel.</summary>
    public const string UserPresence = "user_presence";
    /// <summary>A message was marked read.</summary>
    public const string MessageRead = "message_read";
    /// <summary>(ext) A message was deleted.</summary>
    public const string MessageDeleted = "message_deleted";
    /// <summary>(ext) A moderator pinned a message of the channel.</summary>
    public const string MessagePinned = "message_pinned";
    /// <summary>(ext) A moderator unpinned a message of the channel.</summary>
    public const string MessageUnpinned = "message_unpinned";
    /// <summary>(ext) A message was edited: the whole message, with its new content and <c>editedAt</c>.</summary>
    public const string MessageUpdated = "message_updated";
    /// <summary>
    /// (ext) A <c>join_channel</c> with <c>since</c> was further behind than the server replays: the messages with a
    /// seq in the range it names were not replayed (page them over HTTP); the newest ones follow.
    /// </summary>
    public const string ReplayTruncated = "replay_truncated";
    /// <summary>A request was refused; the socket stays open.</summary>
    public const string Error = "error";
}

/// <summary>The <c>type</c> values of events a client sends on <c>/ws/chat</c>.</summary>
public static class ChatClientEventTypes
{
    /// <summary>Subscribe to a channel, optionally replaying from a seq.</summary>
    public const string JoinChannel = "join_channel";
    /// <summary>Unsubscribe from a channel.</summary>
    public const string LeaveChannel = "leave_channel";
    /// <summary>Send a message to a joined channel.</summary>
    public const string SendMessage = "send_message";
    /// <summary>Tell the channel the user is typing.</summary>
    public const string Typing = "typing";
    /// <summary>(ext) Tell the channel the user stopped typing.</summary>
    public const string StopTyping = "stop_typing";
    /// <summary>Mark a message read.</summary>
    public const string MarkRead = "mark_read";
    /// <summary>(ext) Replace the text of one of the user's own messages.</summary>
    public const string EditMessage = "edit_message";
}

/// <summary><c>connected</c>: the authenticated user.</summary>
public sealed record ConnectedEvent(long UserId, string Username)
{
    /// <summary>Always <c>connected</c>.</summary>
    public string Type => ChatServerEventTypes.Connected;
}

/// <summary><c>joined_channel</c>, with (ext) the channel's newest seq at join time.</summary>
public sealed record JoinedChannelEvent(long ChannelId, long LastSeq)
{
    /// <summary>Always <c>joined_channel</c>.</summary>
    public string Type => ChatServerEventTypes.JoinedChannel;
}

/// <summary><c>left_channel</c>.</summary>
public sealed record LeftChannelEvent(long ChannelId)
{
    /// <summary>Always <c>left_channel</c>.</summary>
    public string Type => ChatServerEventTypes.LeftChannel;
}

/// <summary><c>new_message</c>: a stored message, with its channel id repeated at the top level as in the seed.</summary>
public sealed record NewMessageEvent(ChatMessage Message, long ChannelId)
{
    /// <summary>Always <c>new_message</c>.</summary>
    public string Type => ChatServerEventTypes.NewMessage;
}

/// <summary><c>user_typing</c> or (ext) <c>user_stop_typing</c>.</summary>
public sealed record UserTypingEvent(string Type, long UserId, string Username, long ChannelId);

/// <summary><c>user_presence</c>: <c>online</c> or <c>offline</c> in a channel.</summary>
public sealed record UserPresenceEvent(long UserId, string Username, string Status, long ChannelId)
{
    /// <summary>Always <c>user_presence</c>.</summary>
    public string Type => ChatServerEventTypes.UserPresence;
}

/// <summary><c>message_read</c>.</summary>
public sealed record MessageReadEvent(long MessageId, long UserId, long ChannelId)
{
    /// <summary>Always <c>message_read</c>.</summary>
    public string Type => ChatServerEventTypes.MessageRead;
}

/// <summary>(ext) <c>message_deleted</c>.</summary>
public sealed record MessageDeletedEvent(long MessageId, long ChannelId)
{
    /// <summary>Always <c>message_deleted</c>.</summary>
    public string Type => ChatServerEventTypes.MessageDeleted;
}

/// <summary>(ext) <c>message_pinned</c>: who pinned which message of the channel, and when.</summary>
public sealed record MessagePinnedEvent(
    long ChannelId,
    long MessageId,
    long PinnedBy,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime PinnedAt)
{
    /// <summary>Always <c>message_pinned</c>.</summary>
    public string Type => ChatServerEventTypes.MessagePinned;
}

/// <summary>(ext) <c>message_unpinned</c>.</summary>
public sealed record MessageUnpinnedEvent(long ChannelId, long MessageId)
{
    /// <summary>Always <c>message_unpinned</c>.</summary>
    public string Type => ChatServerEventTypes.MessageUnpinned;
}

/// <summary>(ext) <c>message_updated</c>: the edited message as it is stored now (same <c>id</c> and <c>seq</c>).</summary>
public sealed record MessageUpdatedEvent(ChatMessage Message)
{
    /// <summary>Always <c>message_updated</c>.</summary>
    public string Type => ChatServerEventTypes.MessageUpdated;
}

/// <summary>
/// (ext) <c>replay_truncated</c>: sent after <c>joined_channel</c> and before the replayed messages when more were missing
/// than the server replays. The messages with <c>skippedFrom ≤ seq ≤ skippedTo</c> (some of those seqs may be deleted
/// messages) were not replayed; the ones after <c>skippedTo</c> follow as usual.
/// </summary>
public sealed record ReplayTruncatedEvent(long ChannelId, long SkippedFrom, long SkippedTo)
{
    /// <summary>Always <c>replay_truncated</c>.</summary>
    public string Type => ChatServerEventTypes.ReplayTruncated;
}

/// <summary><c>error</c>: human <c>message</c> (seed-compatible) and (ext) a <c>code</c> from <see cref="ErrorCodes"/>.</summary>
public sealed record ErrorEvent(string Message, string Code)
{
    /// <summary>Always <c>error</c>.</summary>
    public string Type => ChatServerEventTypes.Error;
}
