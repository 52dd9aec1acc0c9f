namespace Parley.Server.Workspaces;

public sealed record CreateWorkspaceRequest(string? Name, string? Description);

public sealed record AddMemberRequest(long? UserId, string? Role);

public sealed record CreateChannelRequest(string? Name, string? Type, string? Subject);
