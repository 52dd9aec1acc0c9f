namespace Parley.Protocol.Direct;

/// <summary>Payload of <c>user_typing</c>, sent to the recipient's sockets only.</summary>
/// <param name="UserId">Who is typing.</param>
/// <param name="Username">Their username.</param>
/// <param name="RecipientId">To whom (the receiving user).</param>
public sealed record DirectTypingPayload(long UserId, string Username, long RecipientId);
