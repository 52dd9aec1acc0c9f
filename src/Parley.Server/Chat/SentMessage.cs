namespace Parley.Server.Chat;

/// <summary>The outcome of a send: the stored message with its readers, and whether it was new (false: a repeated clientMsgId).</summary>
public sealed record SentMessage(MessageWithReaders Message, bool Created);
