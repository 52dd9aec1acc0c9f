using Parley.Protocol;
using Parley.Server.Chat;

namespace Parley.Server.Realtime.Direct;

/// <summary>The refusals particular to <c>/messagepal</c>, in the seed system's wording (no final period).</summary>
internal static class DirectErrors
{
    public static readonly ChatError RecipientNotFound = new(ErrorCodes.NotFound, "Recipient not found");
    public static readonly ChatError ConversationNotFound = new(ErrorCodes.NotFound, "Conversation not found");
    public static readonly ChatError MessageNotFound = new(ErrorCodes.NotFound, "Message not found");
    public static readonly ChatError SendFieldsRequired = new(ErrorCodes.BadRequest, "recipientId and content are required");
    public static readonly ChatError RecipientRequired = new(ErrorCodes.BadRequest, "recipientId is required");
    public static readonly ChatError MessageIdRequired = new(ErrorCodes.BadRequest, "messageId is required");
    public static readonly ChatError ConversationIdRequired = new(ErrorCodes.BadRequest, "conversationId is required");
    public static readonly ChatError NotToYourself = new(ErrorCodes.BadRequest, "You cannot send a message to yourself");
    public static readonly ChatError InvalidBefore = new(ErrorCodes.BadRequest, "before must be a message id");
    /// <summary>JSON that is not an object with a string <c>type</c>.</summary>
    public static readonly ChatError NotAnEvent = new(ErrorCodes.BadRequest, "Invalid message format");
    public static readonly ChatError InvalidLimit = new(ErrorCodes.BadRequest, "limit must be an integer");
}
