namespace Parley.Server.Chat;

/// <summary>
/// A send that passed every check and was handed to the store. <see cref="Completion"/> ends once the message is
/// stored and published (or failed to store: <c>Failed to save message.</c>).
/// </summary>
/// <param name="Completion">The stored message, or why it could not be stored.</param>
public sealed record StartedSend(Task<ChatResult<SentMessage>> Completion);
