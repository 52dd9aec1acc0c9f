namespace Parley.Server.Storage;

/// <summary>A workspace (a "guild" on the gateway).</summary>
public sealed record WorkspaceRecord(long Id, string Name, string? Description, long OwnerId, DateTime CreatedAt);
