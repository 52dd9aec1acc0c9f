namespace Parley.Server.Storage;

/// <summary>A user's membership of a workspace, with its workspace role (<see cref="WorkspaceRoles"/>).</summary>
public sealed record WorkspaceMemberRecord(long WorkspaceId, long UserId, string Role, string Username, string DisplayName);
