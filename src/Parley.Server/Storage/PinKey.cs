namespace Parley.Server.Storage;

/// <summary>Where a pin stands in pin order (oldest pin first, then message id). Pages continue strictly after it.</summary>
public readonly record struct PinKey(DateTime PinnedAt, long MessageId);
