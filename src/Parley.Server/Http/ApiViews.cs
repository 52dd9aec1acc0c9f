using Parley.Server.Storage;

namespace Parley.Server.Http;

/// <summary>A user as others may see it: never a password hash or secret.</summary>
public sealed record UserView(long Id, string Username, string DisplayName, string Role, DateTime CreatedAt)
{
    public static UserView From(UserRecord u) => new(u.Id, u.Username, u.DisplayName, u.Role, u.CreatedAt);
}

public sealed record WorkspaceView(long Id, string Name, string? Description, long OwnerId, DateTime CreatedAt)
{
    public static WorkspaceView From(WorkspaceRecord w) => new(w.Id, w.Name, w.Description, w.OwnerId, w.CreatedAt);
}

public sealed record MemberView(long UserId, string Username, string DisplayName, string Role)
{
    public static MemberView From(WorkspaceMemberRecord m) => new(m.UserId, m.Username, m.DisplayName, m.Role);
}

/// <summary>
/// A workspace with the first page of its members and of its channels; a next cursor (null on a complete list)
/// continues the list on <c>GET /api/workspaces/:id/members</c> or <c>/channels</c>.
/// </summary>
public sealed record WorkspaceDetailView(long Id, string Name, string? Description, long OwnerId, DateTime CreatedAt,
    IReadOnlyList<MemberView> Members, IReadOnlyList<ChannelView> Channels, string? MembersNextCursor, string? ChannelsNextCursor);

public sealed record ChannelView(long Id, long? WorkspaceId, string Name, string Type, string? Subject, long LastSeq, DateTime CreatedAt)
{
    public static ChannelView From(ChannelRecord c) => new(c.Id, c.WorkspaceId, c.Name, c.Type, c.Subject, c.LastSeq, c.CreatedAt);
}

public sealed record PartnerView(long Id, string Username, string DisplayName, string Role)
{
    public static PartnerView From(UserRecord u) => new(u.Id, u.Username, u.DisplayName, u.Role);
}

public sealed record DmChannelView(long Id, string Name, string Type, long LastSeq, DateTime CreatedAt, PartnerView Partner);

public sealed record ApiTokenView(long Id, string Name, DateTime CreatedAt, string? Token);

/// <summary>An answer that is only a sentence: every error, and logout.</summary>
public sealed record ApiMessage(string Message);

public sealed record UnreadCountView(long UnreadCount);

public sealed record PinView(long ChannelId, long MessageId, bool Pinned);

public sealed record ReadReceiptView(long MessageId, long UserId, long ChannelId);
