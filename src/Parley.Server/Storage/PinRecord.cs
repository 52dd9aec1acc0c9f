namespace Parley.Server.Storage;

/// <summary>A pinned message of a channel.</summary>
public sealed record PinRecord(long ChannelId, long MessageId, long PinnedBy, DateTime PinnedAt);
