namespace Parley.Protocol.Direct;

/// <summary>One conversation of <c>GET /api/messagepal/conversations</c>.</summary>
/// <param name="Id"><c>conv_{smaller user id}_{larger user id}</c>.</param>
/// <param name="Participants">Both users, smaller id first.</param>
/// <param name="LastMessage">The newest message, or null when there is none.</param>
/// <param name="UnreadCount">Messages from the other user the caller has not marked read.</param>
public sealed record ConversationSummary(
    string Id,
    IReadOnlyList<ConversationParticipant> Participants,
    DirectMessage? LastMessage,
    int UnreadCount);
