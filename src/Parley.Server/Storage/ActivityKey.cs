namespace Parley.Server.Storage;

/// <summary>
/// Where a conversation stands in newest-activity order: its activity time, the id of its newest message (0 when
/// none) and the channel id, compared in that order. Pages continue strictly below the last key returned.
/// </summary>
public readonly record struct ActivityKey(DateTime ActivityAt, long LastMessageId, long ChannelId);
