using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>
/// Read models that the adapters show and decide nothing on: profiles, channel and workspace records, the snapshot a
/// gateway READY lists. Set-based, so a user's READY costs two queries however many workspaces they belong to.
/// Authorization is the caller's: these answer for the authenticated user themselves, the server actor, or a hub
/// routing an event the core already authorized.
/// </summary>
public sealed class ChatQueries(IChatStore store)
{
    public Task<UserRecord?> GetUserAsync(long userId) => store.GetUserAsync(userId);

    public Task<ChannelRecord?> GetChannelAsync(long channelId) => store.GetChannelAsync(channelId);

    /// <summary>Every workspace of the user with its channels, by workspace id.</summary>
    public async Task<IReadOnlyList<WorkspaceSnapshot>> ListWorkspacesWithChannelsAsync(long userId)
    {
        var workspaces = await store.ListWorkspacesOfUserAsync(userId);
        var channels = (await store.ListChannelsOfWorkspacesOfUserAsync(userId)).ToLookup(c => c.WorkspaceId);
        // A membership added between the two reads may show a workspace without channels (fine: its GUILD_CREATE
        // follows) or channels of a workspace not listed (dropped here).
        return [.. workspaces.Select(w => new WorkspaceSnapshot(w, [.. channels[w.Id]]))];
    }

    public async Task<WorkspaceSnapshot?> GetWorkspaceWithChannelsAsync(long workspaceId) =>
        await store.GetWorkspaceAsync(workspaceId) is { } workspace
            ? new WorkspaceSnapshot(workspace, await store.ListChannelsAsync(workspaceId))
            : null;
}
