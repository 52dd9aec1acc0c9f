namespace Parley.Protocol.Direct;

/// <summary>One of the two users of a conversation, as others may see them (no secret).</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Username.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="Role">Profile role (a label, not a privilege).</param>
public sealed record ConversationParticipant(long Id, string Username, string DisplayName, string Role);
