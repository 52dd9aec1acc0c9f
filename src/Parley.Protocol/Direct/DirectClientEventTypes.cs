namespace Parley.Protocol.Direct;

/// <summary>The <c>type</c> values of events a client sends on <c>/messagepal</c>.</summary>
public static class DirectClientEventTypes
{
    /// <summary><c>recipientId</c>, <c>content</c>, (ext) <c>clientMsgId</c>: send a direct message.</summary>
    public const string SendMessage = "send_message";
    /// <summary><c>recipientId</c>: tell the other user this one is typing.</summary>
    public const string Typing = "typing";
    /// <summary><c>messageId</c>: the recipient marks a message read.</summary>
    public const string MarkRead = "mark_read";
    /// <summary><c>conversationId</c>, (ext) <c>before</c>, (ext) <c>limit</c>: a page of history.</summary>
    public const string FetchHistory = "fetch_history";
    /// <summary><c>conversationId</c>: subscribe to a conversation.</summary>
    public const string Subscribe = "subscribe";
    /// <summary><c>conversationId</c>: unsubscribe from a conversation.</summary>
    public const string Unsubscribe = "unsubscribe";
}
