namespace Parley.Protocol.Direct;

/// <summary>(ext) Payload of <c>message_deleted</c>, sent to both users' sockets.</summary>
/// <param name="MessageId">The deleted message's id as a string.</param>
/// <param name="ConversationId">Its conversation.</param>
public sealed record DirectDeletedPayload(string MessageId, string ConversationId);
