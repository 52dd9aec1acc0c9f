using Parley.Protocol.Chat;
using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>The outcome of a send: the stored message, and whether it was new (false: a repeated clientMsgId).</summary>
public sealed record SentMessage(StoredMessage Stored, ChatMessage Wire, bool Created);
