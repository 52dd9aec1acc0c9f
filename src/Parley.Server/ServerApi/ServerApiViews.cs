using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.ServerApi;

/// <summary>A user as the host's backend sees it: the public user object and the host's id for it.</summary>
public sealed record ServerUserView(long Id, string Username, string DisplayName, string Role, DateTime CreatedAt, string? ExternalId)
{
    public static ServerUserView From(UserRecord u) => new(u.Id, u.Username, u.DisplayName, u.Role, u.CreatedAt, u.ExternalId);
}

public sealed record OnlineUserView(long UserId, string Username)
{
    public static OnlineUserView From(OnlineUser u) => new(u.UserId, u.Username);
}

public sealed record ChannelPresenceView(IReadOnlyList<OnlineUserView> Users);
