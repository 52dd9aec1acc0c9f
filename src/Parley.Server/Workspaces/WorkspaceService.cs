using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Workspaces;

/// <summary>
/// Workspaces, members, channels and DM channels: the rules for who may change them, and the events that
/// keep sockets and the <see cref="MembershipIndex"/> current.
/// </summary>
public sealed class WorkspaceService(IChatStore store, MembershipIndex memberships, IMessageBus bus, TimeProvider time)
{
    public const int MaxNameLength = 80;
    public const int MaxDescriptionLength = 1000;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<ChatResult<WorkspaceRecord>> CreateAsync(long userId, string? name, string? description)
    {
        if (ValidateName(name) is { } invalid)
        {
            return invalid;
        }
        if (description is { Length: > MaxDescriptionLength })
        {
            return ChatError.TooLarge($"description must be at most {MaxDescriptionLength} characters.");
        }
        var workspace = await store.CreateWorkspaceAsync(name!.Trim(), description, userId, Now);
        await bus.PublishAsync(new WorkspaceCreated(workspace));
        return workspace;
    }

    /// <summary>The workspace when the user is a member; not found otherwise (existence is not revealed).</summary>
    public async Task<ChatResult<WorkspaceRecord>> GetForMemberAsync(long userId, long workspaceId)
    {
        var workspace = await store.GetWorkspaceAsync(workspaceId);
        if (workspace is null || !memberships.IsMember(workspaceId, userId))
        {
            return ChatError.WorkspaceNotFound;
        }
        return workspace;
    }

    public async Task<ChatResult<WorkspaceMemberRecord>> AddMemberAsync(long actorId, long workspaceId, long userId, string? role)
    {
        var role_ = role ?? WorkspaceRoles.Member;
        if (role_ is not (WorkspaceRoles.Member or WorkspaceRoles.Admin))
        {
            return ChatError.BadRequest("role must be member or admin.");
        }
        if (await RequireManagerAsync(actorId, workspaceId) is { } refused)
        {
            return refused;
        }
        var user = await store.GetUserAsync(userId);
        if (user is null)
        {
            return ChatError.UserNotFound;
        }
        if (!await store.AddMemberAsync(workspaceId, userId, role_, Now))
        {
            return ChatError.AlreadyMember;
        }
        await bus.PublishAsync(new MemberAdded(workspaceId, userId));
        return new WorkspaceMemberRecord(workspaceId, userId, role_, user.Username, user.DisplayName);
    }

    /// <summary>An owner or admin removes a member, or a member removes themself. The owner cannot be removed.</summary>
    public async Task<ChatError?> RemoveMemberAsync(long actorId, long workspaceId, long userId)
    {
        var workspace = await store.GetWorkspaceAsync(workspaceId);
        if (workspace is null || !memberships.IsMember(workspaceId, actorId))
        {
            return ChatError.WorkspaceNotFound;
        }
        if (actorId != userId && !WorkspaceRoles.CanManage(await store.GetMemberRoleAsync(workspaceId, actorId)))
        {
            return ChatError.NotAllowed;
        }
        if (workspace.OwnerId == userId)
        {
            // Well-formed but refused by a rule, whoever asks: "not allowed" (403), not "bad input" (400).
            return ChatError.OwnerCannotBeRemoved;
        }
        if (!await store.RemoveMemberAsync(workspaceId, userId))
        {
            return ChatError.UserNotFound;
        }
        await bus.PublishAsync(new MemberRemoved(workspaceId, userId));
        return null;
    }

    public async Task<ChatResult<ChannelRecord>> CreateChannelAsync(long actorId, long workspaceId, string? name, string? type, string? subject)
    {
        if (ValidateName(name) is { } invalid)
        {
            return invalid;
        }
        var type_ = type ?? ChannelTypes.Text;
        if (type_ is not (ChannelTypes.Text or ChannelTypes.Announcement))
        {
            return ChatError.BadRequest("type must be text or announcement.");
        }
        if (subject is { Length: > MaxNameLength })
        {
            return ChatError.TooLarge($"subject must be at most {MaxNameLength} characters.");
        }
        if (await RequireManagerAsync(actorId, workspaceId) is { } refused)
        {
            return refused;
        }
        var channel = await store.CreateChannelAsync(workspaceId, name!.Trim(), type_, subject, Now);
        await bus.PublishAsync(new ChannelCreated(channel));
        return channel;
    }

    /// <summary>A page of the user's workspaces, by id.</summary>
    public async Task<ChatResult<Page<WorkspaceRecord>>> ListWorkspacesAsync(long userId, PageRequest page)
    {
        if (!PageCursors.TryParseId(page.Cursor, out var afterId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListWorkspacesOfUserAsync(userId, afterId, page.Limit + 1);
        return PageCursors.ToPage(rows, page.Limit, w => PageCursors.Id(w.Id), w => w);
    }

    /// <summary>A page of a workspace's channels, by id, for its members.</summary>
    public async Task<ChatResult<Page<ChannelRecord>>> ListChannelsAsync(long userId, long workspaceId, PageRequest page)
    {
        var workspace = await GetForMemberAsync(userId, workspaceId);
        if (!workspace.IsSuccess)
        {
            return workspace.Error!;
        }
        if (!PageCursors.TryParseId(page.Cursor, out var afterId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListChannelsAsync(workspaceId, afterId, page.Limit + 1);
        return PageCursors.ToPage(rows, page.Limit, c => PageCursors.Id(c.Id), c => c);
    }

    /// <summary>A page of a workspace's members, by user id, for its members.</summary>
    public async Task<ChatResult<Page<WorkspaceMemberRecord>>> ListMembersAsync(long userId, long workspaceId, PageRequest page)
    {
        var workspace = await GetForMemberAsync(userId, workspaceId);
        if (!workspace.IsSuccess)
        {
            return workspace.Error!;
        }
        if (!PageCursors.TryParseId(page.Cursor, out var afterUserId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListMembersAsync(workspaceId, afterUserId, page.Limit + 1);
        return PageCursors.ToPage(rows, page.Limit, m => PageCursors.Id(m.UserId), m => m);
    }

    /// <summary>A page of the user's DM channels, by id, each with the other user.</summary>
    public async Task<ChatResult<Page<DmChannelRecord>>> ListDmsAsync(long userId, PageRequest page)
    {
        if (!PageCursors.TryParseId(page.Cursor, out var afterId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListDmChannelsAsync(userId, afterId, page.Limit + 1);
        return PageCursors.ToPage(rows, page.Limit, d => PageCursors.Id(d.Channel.Id), d => d);
    }

    /// <summary>The DM channel between the caller and another existing user, created on first use.</summary>
    public async Task<ChatResult<(ChannelRecord Channel, UserRecord Partner, bool Created)>> OpenDmAsync(long userId, long partnerId)
    {
        if (partnerId == userId)
        {
            return ChatError.BadRequest("You cannot open a DM with yourself.");
        }
        var partner = await store.GetUserAsync(partnerId);
        if (partner is null)
        {
            return ChatError.UserNotFound;
        }
        var (channel, created) = await store.GetOrCreateDmChannelAsync(userId, partnerId, Now);
        return (channel, partner, created);
    }

    private async Task<ChatError?> RequireManagerAsync(long actorId, long workspaceId)
    {
        if (await store.GetWorkspaceAsync(workspaceId) is null || !memberships.IsMember(workspaceId, actorId))
        {
            return ChatError.WorkspaceNotFound;
        }
        return WorkspaceRoles.CanManage(await store.GetMemberRoleAsync(workspaceId, actorId)) ? null : ChatError.NotAllowed;
    }

    private static ChatError? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return ChatError.BadRequest("name is required.");
        }
        return name.Trim().Length > MaxNameLength ? ChatError.TooLarge($"name must be at most {MaxNameLength} characters.") : null;
    }
}
