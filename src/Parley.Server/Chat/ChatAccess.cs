using Parley.Server.Storage;
using Parley.Server.Workspaces;

namespace Parley.Server.Chat;

/// <summary>
/// Who may read, write and moderate what. Every adapter asks here, for every event and every id a client
/// names. Decisions that let a user in read membership from the store; a joined socket's sends use the node's
/// <see cref="MembershipIndex"/>, which confirms a "no" against the store (see its guarantees).
/// </summary>
public sealed class ChatAccess(IChatStore store, MembershipIndex memberships)
{
    /// <summary>The channel if the user may read it: a member of its workspace, or one of a DM's two users.</summary>
    public async Task<ChatResult<ChannelAccess>> AuthorizeReadAsync(long userId, long channelId, CancellationToken cancellationToken)
    {
        var channel = await store.GetChannelAsync(channelId, cancellationToken);
        if (channel is null)
        {
            return ChatError.ChannelNotFound;
        }
        var error = await CheckReadAsync(userId, channel, cancellationToken);
        return error is null ? new ChannelAccess(channel, userId) : error;
    }

    /// <summary>Null when the user may read the channel, else why not; membership as the store has it now.</summary>
    public async Task<ChatError?> CheckReadAsync(long userId, ChannelRecord channel, CancellationToken cancellationToken)
    {
        if (channel.IsDm)
        {
            return channel.IsDmParticipant(userId) ? null : ChatError.DmAccessDenied;
        }
        return channel.WorkspaceId is { } workspaceId && await memberships.IsMemberInStoreAsync(workspaceId, userId, cancellationToken) ? null : ChatError.NotWorkspaceMember;
    }

    /// <summary>Null when the user may post: still a reader, and an owner or admin in announcement channels.</summary>
    public async Task<ChatError?> CheckWriteAsync(long userId, ChannelRecord channel, CancellationToken cancellationToken)
    {
        if (channel.IsDm)
        {
            if (!channel.IsDmParticipant(userId))
            {
                return ChatError.DmAccessDenied;
            }
            return null;
        }
        // Per send: the cache, which confirms a "no" against the store and hears of removals before they return.
        if (!(channel.WorkspaceId is { } workspaceId && await memberships.IsMemberAsync(workspaceId, userId, cancellationToken)))
        {
            return ChatError.NotWorkspaceMember;
        }
        if (channel.Type == ChannelTypes.Announcement &&
            !WorkspaceRoles.CanManage(await store.GetMemberRoleAsync(channel.WorkspaceId!.Value, userId, cancellationToken)))
        {
            return ChatError.AnnouncementOnly;
        }
        return null;
    }

    /// <summary>Whether the user moderates the channel: owner or admin of its workspace; in a DM, either user.</summary>
    public async Task<bool> CanModerateAsync(long userId, ChannelRecord channel, CancellationToken cancellationToken) =>
        channel.IsDm
            ? channel.IsDmParticipant(userId)
            : WorkspaceRoles.CanManage(await store.GetMemberRoleAsync(channel.WorkspaceId!.Value, userId, cancellationToken));
}
