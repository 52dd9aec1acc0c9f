namespace Parley.Server.Storage;

/// <summary>The stored message, and whether this call created it (false: an earlier message with the same clientMsgId).</summary>
public readonly record struct AppendResult(StoredMessage Message, bool Created);
