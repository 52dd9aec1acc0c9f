using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>
/// Read models that the adapters show and decide nothing on: profiles, channel and workspace records, the snapshot a
/// gateway READY lists. Set-based and bounded: a user's READY costs two queries however many workspaces they belong
/// to, and lists at most the first workspaces and channels it is asked for (the rest pages over HTTP).
/// Authorization is the caller's: these answer for the authenticated user themselves, the server actor, or a hub
/// routing an event the core already authorized.
/// </summary>
public sealed class ChatQueries(IChatStore store)
{
    public Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken) => store.GetUserAsync(userId, cancellationToken);

    public Task<ChannelRecord?> GetChannelAsync(long channelId, CancellationToken cancellationToken) => store.GetChannelAsync(channelId, cancellationToken);

    /// <summary>The DM channel of two users if it exists (one read on the pair's unique index); never creates one.</summary>
    public Task<ChannelRecord?> FindDmChannelAsync(long userA, long userB, CancellationToken cancellationToken) => store.FindDmChannelAsync(userA, userB, cancellationToken);

    /// <summary>The newest seq of each channel, by id, in one query (a hub's resync).</summary>
    public Task<IReadOnlyDictionary<long, long>> GetLastSeqsAsync(IReadOnlyCollection<long> channelIds, CancellationToken cancellationToken) => store.GetLastSeqsAsync(channelIds, cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> stored messages of the channel after <paramref name="afterSeq"/>, in seq order,
    /// each with its readers (a hub filling a gap in what the bus delivered).
    /// </summary>
    public async Task<IReadOnlyList<MessageWithReaders>> ListMessagesAfterSeqAsync(long channelId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        await store.WithReadersAsync(await store.ListMessagesAfterSeqAsync(channelId, afterSeq, limit, cancellationToken), cancellationToken);

    /// <summary>
    /// The user's first <paramref name="workspaceLimit"/> workspaces (by id), each with its first
    /// <paramref name="channelLimit"/> channels; <c>MoreWorkspaces</c> when the user has more.
    /// </summary>
    public async Task<(IReadOnlyList<WorkspaceSnapshot> Workspaces, bool MoreWorkspaces)> ListWorkspacesWithChannelsAsync(
        long userId, int workspaceLimit, int channelLimit, CancellationToken cancellationToken)
    {
        // One more of each than listed, to tell whether more exist.
        var workspaces = await store.ListWorkspacesOfUserAsync(userId, 0, workspaceLimit + 1, cancellationToken);
        var channels = (await store.ListChannelsOfWorkspacesOfUserAsync(userId, workspaceLimit, channelLimit + 1, cancellationToken)).ToLookup(c => c.WorkspaceId);
        // A membership that changes between the two reads may show a workspace without channels (its GUILD_CREATE
        // follows) or channels of a workspace not listed (dropped here).
        IReadOnlyList<WorkspaceSnapshot> snapshots =
            [.. workspaces.Take(workspaceLimit).Select(w => Snapshot(w, [.. channels[w.Id]], channelLimit))];
        return (snapshots, workspaces.Count > workspaceLimit);
    }

    public async Task<WorkspaceSnapshot?> GetWorkspaceWithChannelsAsync(long workspaceId, int channelLimit, CancellationToken cancellationToken) =>
        await store.GetWorkspaceAsync(workspaceId, cancellationToken) is { } workspace
            ? Snapshot(workspace, await store.ListChannelsAsync(workspaceId, 0, channelLimit + 1, cancellationToken), channelLimit)
            : null;

    private static WorkspaceSnapshot Snapshot(WorkspaceRecord workspace, IReadOnlyList<ChannelRecord> channelsAndOneMore, int channelLimit) =>
        new(workspace, [.. channelsAndOneMore.Take(channelLimit)], channelsAndOneMore.Count > channelLimit);
}
