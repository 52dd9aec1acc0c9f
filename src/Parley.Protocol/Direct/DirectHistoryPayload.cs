namespace Parley.Protocol.Direct;

/// <summary>Payload of <c>history_response</c>.</summary>
/// <param name="ConversationId">The conversation asked for.</param>
/// <param name="Messages">The page, oldest first.</param>
public sealed record DirectHistoryPayload(string ConversationId, IReadOnlyList<DirectMessage> Messages);
