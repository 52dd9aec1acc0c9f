namespace Parley.Server.ServerApi;

public sealed record ServerUserRequest(string? ExternalId, string? Username, string? DisplayName, string? Role);

public sealed record ServerWorkspaceRequest(string? Name, long? OwnerId, string? Description);

public sealed record ServerMemberRequest(string? Role);

public sealed record ServerMessageRequest(long? ChannelId, long? AuthorId, string? Content, string? MessageType, string? FileUrl, string? ClientMsgId);
