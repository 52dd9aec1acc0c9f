using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Workspaces;

/// <summary>
/// Workspaces, members, channels and DM channels: the rules for who may change them, and the events that
/// keep sockets and every node's <see cref="MembershipIndex"/> current. Who may do what is read from the store,
/// so a change made through one node holds on every node once its call has returned. The <c>…ForServerAsync</c>
/// entry points are the host backend's (the server API): no acting user, so no manager check, but the same
/// validation, rules and events.
/// </summary>
public sealed class WorkspaceService(IChatStore store, IMessageBus bus, TimeProvider time)
{
    public const int MaxNameLength = 80;
    public const int MaxDescriptionLength = 1000;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<ChatResult<WorkspaceRecord>> CreateAsync(long userId, string? name, string? description, CancellationToken cancellationToken) =>
        ValidateWorkspace(name, description) is { } invalid ? invalid : await InsertWorkspaceAsync(userId, name!, description, cancellationToken);

    /// <summary>Server actor: a workspace owned by an existing user.</summary>
    public async Task<ChatResult<WorkspaceRecord>> CreateForServerAsync(long ownerId, string? name, string? description, CancellationToken cancellationToken)
    {
        if (ValidateWorkspace(name, description) is { } invalid)
        {
            return invalid;
        }
        return await store.GetUserAsync(ownerId, cancellationToken) is null ? ChatError.UserNotFound : await InsertWorkspaceAsync(ownerId, name!, description, cancellationToken);
    }

    private async Task<WorkspaceRecord> InsertWorkspaceAsync(long ownerId, string name, string? description, CancellationToken cancellationToken)
    {
        var workspace = await store.CreateWorkspaceAsync(name.Trim(), description, ownerId, Now, cancellationToken);
        await bus.PublishAsync(new WorkspaceCreated(workspace));
        return workspace;
    }

    private static ChatError? ValidateWorkspace(string? name, string? description) =>
        ValidateName(name) ?? (description is { Length: > MaxDescriptionLength }
            ? ChatError.TooLarge($"description must be at most {MaxDescriptionLength} characters.")
            : null);

    /// <summary>The workspace when the user is a member; not found otherwise (existence is not revealed).</summary>
    public async Task<ChatResult<WorkspaceRecord>> GetForMemberAsync(long userId, long workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await store.GetWorkspaceAsync(workspaceId, cancellationToken);
        if (workspace is null || await store.GetMemberRoleAsync(workspaceId, userId, cancellationToken) is null)
        {
            return ChatError.WorkspaceNotFound;
        }
        return workspace;
    }

    public async Task<ChatResult<WorkspaceMemberRecord>> AddMemberAsync(long actorId, long workspaceId, long userId, string? role, CancellationToken cancellationToken)
    {
        var role_ = role ?? WorkspaceRoles.Member;
        if (role_ is not (WorkspaceRoles.Member or WorkspaceRoles.Admin))
        {
            return ChatError.BadRequest("role must be member or admin.");
        }
        if (await RequireManagerAsync(actorId, workspaceId, cancellationToken) is { } refused)
        {
            return refused;
        }
        var user = await store.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return ChatError.UserNotFound;
        }
        if (!await AddAndAnnounceAsync(workspaceId, userId, role_, cancellationToken))
        {
            return ChatError.AlreadyMember;
        }
        return new WorkspaceMemberRecord(workspaceId, userId, role_, user.Username, user.DisplayName);
    }

    /// <summary>
    /// Server actor: adds the user as a member (<paramref name="role"/>, default member), or sets a member's role when
    /// one is given. The owner stays owner.
    /// </summary>
    public async Task<ChatResult<WorkspaceMemberRecord>> SetMemberForServerAsync(long workspaceId, long userId, string? role, CancellationToken cancellationToken)
    {
        if (role is not (null or WorkspaceRoles.Member or WorkspaceRoles.Admin))
        {
            return ChatError.BadRequest("role must be member or admin.");
        }
        var workspace = await store.GetWorkspaceAsync(workspaceId, cancellationToken);
        if (workspace is null)
        {
            return ChatError.WorkspaceNotFound;
        }
        var user = await store.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return ChatError.UserNotFound;
        }
        if (workspace.OwnerId == userId)
        {
            return role is null ? new WorkspaceMemberRecord(workspaceId, userId, WorkspaceRoles.Owner, user.Username, user.DisplayName) : ChatError.OwnerRoleFixed;
        }
        if (!await AddAndAnnounceAsync(workspaceId, userId, role ?? WorkspaceRoles.Member, cancellationToken) && role is not null)
        {
            await store.SetMemberRoleAsync(workspaceId, userId, role, cancellationToken);
        }
        // Roles are read from the store at every check (ChatAccess), so a changed role holds at once on every node.
        var current = role ?? await store.GetMemberRoleAsync(workspaceId, userId, cancellationToken) ?? WorkspaceRoles.Member;
        return new WorkspaceMemberRecord(workspaceId, userId, current, user.Username, user.DisplayName);
    }

    /// <summary>Adds a member and tells every node (GUILD_CREATE, subscriptions); false when already a member.</summary>
    private async Task<bool> AddAndAnnounceAsync(long workspaceId, long userId, string role, CancellationToken cancellationToken)
    {
        if (!await store.AddMemberAsync(workspaceId, userId, role, Now, cancellationToken))
        {
            return false;
        }
        await bus.PublishAsync(new MemberAdded(workspaceId, userId));
        return true;
    }

    /// <summary>An owner or admin removes a member, or a member removes themself. The owner cannot be removed.</summary>
    public async Task<ChatError?> RemoveMemberAsync(long actorId, long workspaceId, long userId, CancellationToken cancellationToken)
    {
        var workspace = await store.GetWorkspaceAsync(workspaceId, cancellationToken);
        var actorRole = workspace is null ? null : await store.GetMemberRoleAsync(workspaceId, actorId, cancellationToken);
        if (workspace is null || actorRole is null)
        {
            return ChatError.WorkspaceNotFound;
        }
        if (actorId != userId && !WorkspaceRoles.CanManage(actorRole))
        {
            return ChatError.NotAllowed;
        }
        return await RemoveAndAnnounceAsync(workspace, userId, cancellationToken);
    }

    /// <summary>Server actor: removes a member. The owner cannot be removed.</summary>
    public async Task<ChatError?> RemoveMemberForServerAsync(long workspaceId, long userId, CancellationToken cancellationToken) =>
        await store.GetWorkspaceAsync(workspaceId, cancellationToken) is { } workspace ? await RemoveAndAnnounceAsync(workspace, userId, cancellationToken) : ChatError.WorkspaceNotFound;

    private async Task<ChatError?> RemoveAndAnnounceAsync(WorkspaceRecord workspace, long userId, CancellationToken cancellationToken)
    {
        if (workspace.OwnerId == userId)
        {
            // Well-formed but refused by a rule, whoever asks: "not allowed" (403), not "bad input" (400).
            return ChatError.OwnerCannotBeRemoved;
        }
        if (!await store.RemoveMemberAsync(workspace.Id, userId, cancellationToken))
        {
            return ChatError.UserNotFound;
        }
        // Confirmed: every live node has unsubscribed the user's sockets and forgotten the membership when this returns.
        // Not the caller's token: the removal is stored, so it is announced even when the caller has gone.
        await bus.PublishConfirmedAsync(new MemberRemoved(workspace.Id, userId), CancellationToken.None);
        return null;
    }

    public async Task<ChatResult<ChannelRecord>> CreateChannelAsync(long actorId, long workspaceId, string? name, string? type, string? subject, CancellationToken cancellationToken)
    {
        if ((ValidateChannel(name, type, subject) ?? await RequireManagerAsync(actorId, workspaceId, cancellationToken)) is { } refused)
        {
            return refused;
        }
        return await InsertChannelAsync(workspaceId, name!, type, subject, cancellationToken);
    }

    /// <summary>Server actor: a channel in an existing workspace.</summary>
    public async Task<ChatResult<ChannelRecord>> CreateChannelForServerAsync(long workspaceId, string? name, string? type, string? subject, CancellationToken cancellationToken)
    {
        if (ValidateChannel(name, type, subject) is { } invalid)
        {
            return invalid;
        }
        return await store.GetWorkspaceAsync(workspaceId, cancellationToken) is null ? ChatError.WorkspaceNotFound : await InsertChannelAsync(workspaceId, name!, type, subject, cancellationToken);
    }

    private async Task<ChannelRecord> InsertChannelAsync(long workspaceId, string name, string? type, string? subject, CancellationToken cancellationToken)
    {
        var channel = await store.CreateChannelAsync(workspaceId, name.Trim(), type ?? ChannelTypes.Text, subject, Now, cancellationToken);
        await bus.PublishAsync(new ChannelCreated(channel));
        return channel;
    }

    private static ChatError? ValidateChannel(string? name, string? type, string? subject)
    {
        if (ValidateName(name) is { } invalid)
        {
            return invalid;
        }
        if (type is not (null or ChannelTypes.Text or ChannelTypes.Announcement))
        {
            return ChatError.BadRequest("type must be text or announcement.");
        }
        return subject is { Length: > MaxNameLength } ? ChatError.TooLarge($"subject must be at most {MaxNameLength} characters.") : null;
    }

    /// <summary>A page of the user's workspaces, by id.</summary>
    public async Task<ChatResult<Page<WorkspaceRecord>>> ListWorkspacesAsync(long userId, PageRequest page, CancellationToken cancellationToken)
    {
        if (!PageCursors.TryParseId(page.Cursor, out var afterId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListWorkspacesOfUserAsync(userId, afterId, page.Limit + 1, cancellationToken);
        return PageCursors.ToPage(rows, page.Limit, w => PageCursors.Id(w.Id), w => w);
    }

    /// <summary>A page of a workspace's channels, by id, for its members.</summary>
    public async Task<ChatResult<Page<ChannelRecord>>> ListChannelsAsync(long userId, long workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var workspace = await GetForMemberAsync(userId, workspaceId, cancellationToken);
        if (!workspace.IsSuccess)
        {
            return workspace.Error!;
        }
        if (!PageCursors.TryParseId(page.Cursor, out var afterId))
        {
            return PageCursors.Invalid;
        }
        return await ChannelsPageAsync(workspaceId, afterId, page.Limit, cancellationToken);
    }

    /// <summary>A page of a workspace's members, by user id, for its members.</summary>
    public async Task<ChatResult<Page<WorkspaceMemberRecord>>> ListMembersAsync(long userId, long workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        var workspace = await GetForMemberAsync(userId, workspaceId, cancellationToken);
        if (!workspace.IsSuccess)
        {
            return workspace.Error!;
        }
        if (!PageCursors.TryParseId(page.Cursor, out var afterUserId))
        {
            return PageCursors.Invalid;
        }
        return await MembersPageAsync(workspaceId, afterUserId, page.Limit, cancellationToken);
    }

    /// <summary>
    /// The workspace for one of its members, with the first page of its members (by user id) and of its channels (by
    /// id), <paramref name="limit"/> each, and the cursors that continue them on the paged lists.
    /// </summary>
    public async Task<ChatResult<(WorkspaceRecord Workspace, Page<WorkspaceMemberRecord> Members, Page<ChannelRecord> Channels)>> GetDetailAsync(
        long userId, long workspaceId, int limit, CancellationToken cancellationToken)
    {
        var workspace = await GetForMemberAsync(userId, workspaceId, cancellationToken);
        if (!workspace.IsSuccess)
        {
            return workspace.Error!;
        }
        return (workspace.Value!, await MembersPageAsync(workspaceId, 0, limit, cancellationToken), await ChannelsPageAsync(workspaceId, 0, limit, cancellationToken));
    }

    private async Task<Page<ChannelRecord>> ChannelsPageAsync(long workspaceId, long afterId, int limit, CancellationToken cancellationToken) =>
        PageCursors.ToPage(await store.ListChannelsAsync(workspaceId, afterId, limit + 1, cancellationToken), limit, c => PageCursors.Id(c.Id), c => c);

    private async Task<Page<WorkspaceMemberRecord>> MembersPageAsync(long workspaceId, long afterUserId, int limit, CancellationToken cancellationToken) =>
        PageCursors.ToPage(await store.ListMembersAsync(workspaceId, afterUserId, limit + 1, cancellationToken), limit, m => PageCursors.Id(m.UserId), m => m);

    /// <summary>A page of the user's DM channels, by id, each with the other user.</summary>
    public async Task<ChatResult<Page<DmChannelRecord>>> ListDmsAsync(long userId, PageRequest page, CancellationToken cancellationToken)
    {
        if (!PageCursors.TryParseId(page.Cursor, out var afterId))
        {
            return PageCursors.Invalid;
        }
        var rows = await store.ListDmChannelsAsync(userId, afterId, page.Limit + 1, cancellationToken);
        return PageCursors.ToPage(rows, page.Limit, d => PageCursors.Id(d.Channel.Id), d => d);
    }

    /// <summary>The DM channel between the caller and another existing user, created on first use.</summary>
    public async Task<ChatResult<(ChannelRecord Channel, UserRecord Partner, bool Created)>> OpenDmAsync(long userId, long partnerId, CancellationToken cancellationToken)
    {
        if (RefuseDmWithYourself(userId, partnerId) is { } refused)
        {
            return refused;
        }
        var partner = await store.GetUserAsync(partnerId, cancellationToken);
        if (partner is null)
        {
            return ChatError.UserNotFound;
        }
        var (channel, created) = await store.GetOrCreateDmChannelAsync(userId, partnerId, Now, cancellationToken);
        return (channel, partner, created);
    }

    /// <summary>The one place of the rule that a DM is between two users, for opening, sending and typing alike.</summary>
    public static ChatError? RefuseDmWithYourself(long userId, long partnerId) => partnerId == userId ? ChatError.DmWithYourself : null;

    private async Task<ChatError?> RequireManagerAsync(long actorId, long workspaceId, CancellationToken cancellationToken)
    {
        var role = await store.GetWorkspaceAsync(workspaceId, cancellationToken) is null ? null : await store.GetMemberRoleAsync(workspaceId, actorId, cancellationToken);
        if (role is null)
        {
            return ChatError.WorkspaceNotFound;
        }
        return WorkspaceRoles.CanManage(role) ? null : ChatError.NotAllowed;
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
