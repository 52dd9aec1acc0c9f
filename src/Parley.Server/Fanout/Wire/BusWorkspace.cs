namespace Parley.Server.Fanout.Wire;

/// <summary>A workspace as it travels between nodes.</summary>
public sealed record BusWorkspace(long Id, string Name, string? Description, long OwnerId, DateTime CreatedAt);
