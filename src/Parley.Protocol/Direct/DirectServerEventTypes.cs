namespace Parley.Protocol.Direct;

/// <summary>The <c>type</c> values of events the server sends on <c>/messagepal</c> (also served at <c>/message</c>).</summary>
public static class DirectServerEventTypes
{
    /// <summary>Sent once after authentication, payload <see cref="DirectConnectedPayload"/>.</summary>
    public const string Connected = "connected";
    /// <summary>A stored direct message, payload <see cref="DirectMessage"/>; to every socket of both users.</summary>
    public const string MessageReceived = "message_received";
    /// <summary>The other user is typing, payload <see cref="DirectTypingPayload"/>.</summary>
    public const string UserTyping = "user_typing";
    /// <summary>The recipient read a message, payload <see cref="DirectReadPayload"/>.</summary>
    public const string MessageRead = "message_read";
    /// <summary>(ext) A message of the conversation was edited, payload <see cref="DirectMessage"/> as stored now; to every socket of both users.</summary>
    public const string MessageUpdated = "message_updated";
    /// <summary>(ext) A message of the conversation was deleted, payload <see cref="DirectDeletedPayload"/>.</summary>
    public const string MessageDeleted = "message_deleted";
    /// <summary>Answer to <c>fetch_history</c>, payload <see cref="DirectHistoryPayload"/>.</summary>
    public const string HistoryResponse = "history_response";
    /// <summary>Answer to <c>subscribe</c>, payload <see cref="DirectConversationPayload"/>.</summary>
    public const string Subscribed = "subscribed";
    /// <summary>Answer to <c>unsubscribe</c>, payload <see cref="DirectConversationPayload"/>.</summary>
    public const string Unsubscribed = "unsubscribed";
    /// <summary>A request was refused; the socket stays open. Has no payload or timestamp (see <see cref="Chat.ErrorEvent"/>).</summary>
    public const string Error = "error";
}
