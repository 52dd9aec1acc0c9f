namespace Parley.Server.Storage;

/// <summary>A pinned message with the time it was pinned (the list's order and paging key).</summary>
public sealed record PinnedMessage(StoredMessage Message, DateTime PinnedAt);
