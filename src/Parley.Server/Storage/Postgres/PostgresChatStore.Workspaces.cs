using Npgsql;
using static Parley.Server.Storage.Postgres.PostgresCommands;

namespace Parley.Server.Storage.Postgres;

public sealed partial class PostgresChatStore
{
    private const string WorkspaceColumns = "w.id, w.name, w.description, w.owner_id, w.created_at";
    private const string ChannelColumns = "id, workspace_id, name, type, subject, dm_user_low, dm_user_high, last_seq, created_at";

    private static WorkspaceRecord MapWorkspace(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.GetInt64(3), r.GetUtc(4));

    private static ChannelRecord MapChannel(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetNullableInt64(1), r.GetString(2), r.GetString(3), r.GetNullableString(4),
            r.GetNullableInt64(5), r.GetNullableInt64(6), r.GetInt64(7), r.GetUtc(8));

    public async Task<WorkspaceRecord> CreateWorkspaceAsync(string name, string? description, long ownerId, DateTime now, CancellationToken cancellationToken)
    {
        // One statement, so the workspace and its owner's membership commit together or not at all.
        const string sql =
            "WITH w AS (INSERT INTO workspaces (name, description, owner_id, created_at) VALUES ($1, $2, $3, $4) RETURNING *), " +
            "m AS (INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) SELECT w.id, $3, 'owner', $4 FROM w) " +
            $"SELECT {WorkspaceColumns} FROM w";
        return (await Writing(cancellationToken).Command(sql, name, description, ownerId, ToDb(now)).ReadSingleAsync(MapWorkspace, CancellationToken.None))!;
    }

    public Task<WorkspaceRecord?> GetWorkspaceAsync(long id, CancellationToken cancellationToken) =>
        _dataSource.Command($"SELECT {WorkspaceColumns} FROM workspaces w WHERE w.id = $1", id).ReadSingleAsync(MapWorkspace, cancellationToken);

    public async Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId, CancellationToken cancellationToken) =>
        await _dataSource.Command(
            $"SELECT {WorkspaceColumns} FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id WHERE m.user_id = $1 ORDER BY w.id",
            userId).ReadAllAsync(MapWorkspace, cancellationToken);

    public Task<string?> GetMemberRoleAsync(long workspaceId, long userId, CancellationToken cancellationToken) =>
        _dataSource.Command("SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2", workspaceId, userId).ScalarAsync<string>(cancellationToken);

    public async Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId, CancellationToken cancellationToken) =>
        await _dataSource.Command(
            "SELECT m.workspace_id, m.user_id, m.role, u.username, u.display_name FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY m.user_id",
            workspaceId).ReadAllAsync(r => new WorkspaceMemberRecord(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4)), cancellationToken);

    public async Task<IReadOnlyList<(long WorkspaceId, long UserId)>> ListMembershipsOfUsersAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken) =>
        await _dataSource.Command("SELECT workspace_id, user_id FROM workspace_members WHERE user_id = ANY($1)", userIds.ToArray())
            .ReadAllAsync(r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken);

    public async Task<bool> AddMemberAsync(long workspaceId, long userId, string role, DateTime now, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command(
            "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            workspaceId, userId, role, ToDb(now)).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<bool> RemoveMemberAsync(long workspaceId, long userId, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command("DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2", workspaceId, userId).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<bool> SetMemberRoleAsync(long workspaceId, long userId, string role, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command("UPDATE workspace_members SET role = $1 WHERE workspace_id = $2 AND user_id = $3", role, workspaceId, userId).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<ChannelRecord> CreateChannelAsync(long workspaceId, string name, string type, string? subject, DateTime now, CancellationToken cancellationToken) =>
        (await Writing(cancellationToken).Command(
            $"INSERT INTO channels (workspace_id, name, type, subject, created_at, activity_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING {ChannelColumns}",
            workspaceId, name, type, subject, ToDb(now)).ReadSingleAsync(MapChannel, CancellationToken.None))!;

    public Task<ChannelRecord?> GetChannelAsync(long id, CancellationToken cancellationToken) =>
        _dataSource.Command($"SELECT {ChannelColumns} FROM channels WHERE id = $1", id).ReadSingleAsync(MapChannel, cancellationToken);

    public async Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId, CancellationToken cancellationToken) =>
        await _dataSource.Command($"SELECT {ChannelColumns} FROM channels WHERE workspace_id = $1 ORDER BY id", workspaceId).ReadAllAsync(MapChannel, cancellationToken);

    public async Task<IReadOnlyList<ChannelRecord>> ListChannelsOfWorkspacesOfUserAsync(long userId, int workspaceLimit, int perWorkspace, CancellationToken cancellationToken) =>
        await _dataSource.Command(SharedSql.ChannelsOfWorkspacesOfUser, userId, (long)workspaceLimit, (long)perWorkspace).ReadAllAsync(MapChannel, cancellationToken);
    /// <summary>$1 the channel ids as an array.</summary>
    internal const string LastSeqsOfChannels = "SELECT id, last_seq FROM channels WHERE id = ANY($1)";

    public async Task<IReadOnlyDictionary<long, long>> GetLastSeqsAsync(IReadOnlyCollection<long> channelIds, CancellationToken cancellationToken) =>
        (await _dataSource.Command(LastSeqsOfChannels, channelIds.ToArray()).ReadAllAsync(r => (Id: r.GetInt64(0), LastSeq: r.GetInt64(1)), cancellationToken))
            .ToDictionary(c => c.Id, c => c.LastSeq);

    public async Task<(ChannelRecord Channel, bool Created)> GetOrCreateDmChannelAsync(long userA, long userB, DateTime now, CancellationToken cancellationToken)
    {
        var (low, high) = userA < userB ? (userA, userB) : (userB, userA);
        var existing = await FindDmChannelAsync(low, high, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }
        // Two nodes may both get here for the same pair: the unique pair constraint lets one insert win, and
        // ON CONFLICT makes the loser wait for the winner's commit and insert nothing, so it reads the winner's row.
        var created = await _dataSource.Command(
            $"INSERT INTO channels (workspace_id, name, type, dm_user_low, dm_user_high, created_at, activity_at) VALUES (NULL, $1, 'dm', $2, $3, $4, $4) " +
            $"ON CONFLICT ON CONSTRAINT ux_channels_dm_pair DO NOTHING RETURNING {ChannelColumns}",
            $"dm-{low}-{high}", low, high, ToDb(now)).ReadSingleAsync(MapChannel, CancellationToken.None);
        return created is not null
            ? (created, true)
            : (await FindDmChannelAsync(low, high, cancellationToken) ?? throw new InvalidOperationException($"The DM channel of users {low} and {high} vanished."), false);
    }

    public Task<ChannelRecord?> FindDmChannelAsync(long userA, long userB, CancellationToken cancellationToken) =>
        _dataSource.Command(SharedSql.DmChannelOfPair, Math.Min(userA, userB), Math.Max(userA, userB)).ReadSingleAsync(MapChannel, cancellationToken);

    public async Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId, long afterId, int limit, CancellationToken cancellationToken) =>
        await _dataSource.Command(SharedSql.WorkspacesOfUser, userId, afterId, (long)limit).ReadAllAsync(MapWorkspace, cancellationToken);

    public async Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId, long afterId, int limit, CancellationToken cancellationToken) =>
        await _dataSource.Command(SharedSql.ChannelsOfWorkspace, workspaceId, afterId, (long)limit).ReadAllAsync(MapChannel, cancellationToken);

    public async Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId, long afterUserId, int limit, CancellationToken cancellationToken) =>
        await _dataSource.Command(SharedSql.MembersOfWorkspace, workspaceId, afterUserId, (long)limit)
            .ReadAllAsync(r => new WorkspaceMemberRecord(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4)), cancellationToken);

    public async Task<IReadOnlyList<UserRecord>> SearchUsersSharingWorkspaceAsync(long userId, string likePattern, long afterUserId, int limit, CancellationToken cancellationToken) =>
        await _dataSource.Command(SharedSql.UsersSharingWorkspace, userId, afterUserId, likePattern, (long)limit).ReadAllAsync(r => MapPartner(r, 0), cancellationToken);

    public async Task<IReadOnlyList<DmChannelRecord>> ListDmChannelsAsync(long userId, long afterId, int limit, CancellationToken cancellationToken) =>
        await _dataSource.Command(SharedSql.DmChannels, userId, afterId, (long)limit).ReadAllAsync(r => new DmChannelRecord(MapChannel(r), MapPartner(r, 9)), cancellationToken);

    public async Task<IReadOnlyList<ConversationRecord>> ListConversationsAsync(long userId, ActivityKey? before, int limit, int unreadLimit, CancellationToken cancellationToken)
    {
        var command = before is { } key
            ? _dataSource.Command(SharedSql.Conversations(withKey: true), userId, (long)limit, (long)unreadLimit, ToDb(key.ActivityAt), key.LastMessageId, key.ChannelId)
            : _dataSource.Command(SharedSql.Conversations(withKey: false), userId, (long)limit, (long)unreadLimit);
        return await command.ReadAllAsync(r =>
        {
            var partner = MapPartner(r, 9);
            StoredMessage? last = r.IsDBNull(17) ? null : new StoredMessage(r.GetInt64(17), r.GetInt64(18), r.GetInt64(19), r.GetInt64(20),
                r.GetString(21), r.GetString(22), r.GetString(23), r.GetNullableString(24), r.GetNullableString(25), r.GetUtc(26), false,
                r.IsDBNull(30) ? null : r.GetUtc(30));
            var readers = ReadCursors.ReadersOfLast(last, userId, r.GetNullableInt64(27), partner.Id, r.GetNullableInt64(28));
            return new ConversationRecord(MapChannel(r), partner, last, readers, (int)r.GetInt64(29), r.GetUtc(15), r.GetInt64(16));
        }, cancellationToken);
    }

    private static UserRecord MapPartner(NpgsqlDataReader r, int first) =>
        new(r.GetInt64(first), r.GetString(first + 1), r.GetString(first + 2), r.GetString(first + 3), r.GetString(first + 4), r.GetUtc(first + 5));
}
