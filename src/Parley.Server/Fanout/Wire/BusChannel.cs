namespace Parley.Server.Fanout.Wire;

/// <summary>A channel as it travels between nodes.</summary>
public sealed record BusChannel(
    long Id,
    long? WorkspaceId,
    string Name,
    string Type,
    string? Subject,
    long? DmUserLow,
    long? DmUserHigh,
    long LastSeq,
    DateTime CreatedAt);
