namespace Parley.Protocol.Direct;

/// <summary>Payload of <c>subscribed</c> and <c>unsubscribed</c>.</summary>
/// <param name="ConversationId">The conversation.</param>
public sealed record DirectConversationPayload(string ConversationId);
