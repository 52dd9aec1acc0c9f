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
    /// <summary>(ext) A message was edited: the whole message, with its new content and <c>editedAt</c>.</summary>
    public const string MessageUpdated = "message_updated";
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

/// <summary>(ext) <c>message_updated</c>: the edited message as it is stored now (same <c>id</c> and <c>seq</c>).</summary>
public sealed record MessageUpdatedEvent(ChatMessage Message)
{
    /// <summary>Always <c>message_updated</c>.</summary>
    public string Type => ChatServerEventTypes.MessageUpdated;
}

/// <summary><c>error</c>: human <c>message</c> (seed-compatible) and (ext) a <c>code</c> from <see cref="ErrorCodes"/>.</summary>
public sealed record ErrorEvent(string Message, string Code)
{
    /// <summary>Always <c>error</c>.</summary>
    public string Type => ChatServerEventTypes.Error;
}
