using Microsoft.Data.Sqlite;
using static Parley.Server.Storage.Sqlite.SqliteCommands;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    private const string WorkspaceColumns = "w.id, w.name, w.description, w.owner_id, w.created_at";
    private const string ChannelColumns = "id, workspace_id, name, type, subject, dm_user_low, dm_user_high, last_seq, created_at";

    private static WorkspaceRecord MapWorkspace(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.GetInt64(3), FromUnixMs(r.GetInt64(4)));

    private static ChannelRecord MapChannel(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetNullableInt64(1), r.GetString(2), r.GetString(3), r.GetNullableString(4),
            r.GetNullableInt64(5), r.GetNullableInt64(6), r.GetInt64(7), FromUnixMs(r.GetInt64(8)));

    public Task<WorkspaceRecord> CreateWorkspaceAsync(string name, string? description, long ownerId, DateTime now, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            var workspace = ReadSingle(tx.Command(
                "INSERT INTO workspaces (name, description, owner_id, created_at) VALUES ($n, $d, $o, $t) RETURNING id, name, description, owner_id, created_at",
                ("$n", name), ("$d", description), ("$o", ownerId), ("$t", ToUnixMs(now))), MapWorkspace)!;
            tx.Execute("INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($w, $u, 'owner', $t)",
                ("$w", workspace.Id), ("$u", ownerId), ("$t", ToUnixMs(now)));
            return workspace;
        }, cancellationToken);

    public Task<WorkspaceRecord?> GetWorkspaceAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {WorkspaceColumns} FROM workspaces w WHERE w.id = $id", ("$id", id)), MapWorkspace), cancellationToken);

    public Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<WorkspaceRecord>>(c => ReadAll(c.Command(
            $"SELECT {WorkspaceColumns} FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id WHERE m.user_id = $u ORDER BY w.id",
            ("$u", userId)), MapWorkspace), cancellationToken);

    public Task<string?> GetMemberRoleAsync(long workspaceId, long userId, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var command = c.Command("SELECT role FROM workspace_members WHERE workspace_id = $w AND user_id = $u", ("$w", workspaceId), ("$u", userId));
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    public Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<WorkspaceMemberRecord>>(c => ReadAll(c.Command(
            "SELECT m.workspace_id, m.user_id, m.role, u.username, u.display_name FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $w ORDER BY m.user_id",
            ("$w", workspaceId)), r => new WorkspaceMemberRecord(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4))), cancellationToken);

    public Task<IReadOnlyList<(long WorkspaceId, long UserId)>> ListMembershipsOfUsersAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<(long, long)>>(c =>
        {
            // One statement for any number of users: the ids travel as one JSON array, and the IN uses the user index.
            using var command = c.Command(
                "SELECT workspace_id, user_id FROM workspace_members WHERE user_id IN (SELECT value FROM json_each($ids))",
                ("$ids", System.Text.Json.JsonSerializer.Serialize(userIds)));
            using var reader = command.ExecuteReader();
            var rows = new List<(long, long)>();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
            return rows;
        }, cancellationToken);

    public async Task<bool> AddMemberAsync(long workspaceId, long userId, string role, DateTime now, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute(
            "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($w, $u, $r, $t) ON CONFLICT DO NOTHING",
            ("$w", workspaceId), ("$u", userId), ("$r", role), ("$t", ToUnixMs(now))), cancellationToken) > 0;

    public async Task<bool> RemoveMemberAsync(long workspaceId, long userId, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute(
            "DELETE FROM workspace_members WHERE workspace_id = $w AND user_id = $u", ("$w", workspaceId), ("$u", userId)), cancellationToken) > 0;

    public async Task<bool> SetMemberRoleAsync(long workspaceId, long userId, string role, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute(
            "UPDATE workspace_members SET role = $r WHERE workspace_id = $w AND user_id = $u", ("$r", role), ("$w", workspaceId), ("$u", userId)), cancellationToken) > 0;

    public Task<ChannelRecord> CreateChannelAsync(long workspaceId, string name, string type, string? subject, DateTime now, CancellationToken cancellationToken) =>
        WriteAsync(tx => ReadSingle(tx.Command(
            $"INSERT INTO channels (workspace_id, name, type, subject, created_at, activity_at) VALUES ($w, $n, $ty, $s, $t, $t) RETURNING {ChannelColumns}",
            ("$w", workspaceId), ("$n", name), ("$ty", type), ("$s", subject), ("$t", ToUnixMs(now))), MapChannel)!, cancellationToken);

    public Task<ChannelRecord?> GetChannelAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {ChannelColumns} FROM channels WHERE id = $id", ("$id", id)), MapChannel), cancellationToken);

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ChannelRecord>>(c => ReadAll(c.Command($"SELECT {ChannelColumns} FROM channels WHERE workspace_id = $w ORDER BY id", ("$w", workspaceId)), MapChannel), cancellationToken);

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsOfWorkspacesOfUserAsync(long userId, int workspaceLimit, int perWorkspace, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ChannelRecord>>(c => ReadAll(c.Command(SharedSql.ChannelsOfWorkspacesOfUser,
            ("$1", userId), ("$2", workspaceLimit), ("$3", perWorkspace)), MapChannel), cancellationToken);
    /// <summary>$1 the channel ids as a JSON array (one statement for any number of them).</summary>
    internal const string LastSeqsOfChannels = "SELECT id, last_seq FROM channels WHERE id IN (SELECT value FROM json_each($1))";

    public Task<IReadOnlyDictionary<long, long>> GetLastSeqsAsync(IReadOnlyCollection<long> channelIds, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<long, long>>(c =>
        {
            using var command = c.Command(LastSeqsOfChannels, ("$1", System.Text.Json.JsonSerializer.Serialize(channelIds)));
            using var reader = command.ExecuteReader();
            var lastSeqs = new Dictionary<long, long>(channelIds.Count);
            while (reader.Read())
            {
                lastSeqs[reader.GetInt64(0)] = reader.GetInt64(1);
            }
            return lastSeqs;
        }, cancellationToken);

    public Task<(ChannelRecord Channel, bool Created)> GetOrCreateDmChannelAsync(long userA, long userB, DateTime now, CancellationToken cancellationToken)
    {
        var (low, high) = userA < userB ? (userA, userB) : (userB, userA);
        return WriteAsync(tx =>
        {
            var existing = ReadSingle(tx.Command(SharedSql.DmChannelOfPair, ("$1", low), ("$2", high)), MapChannel);
            if (existing is not null)
            {
                return (existing, false);
            }
            var created = ReadSingle(tx.Command(
                $"INSERT INTO channels (workspace_id, name, type, dm_user_low, dm_user_high, created_at, activity_at) VALUES (NULL, $n, 'dm', $l, $h, $t, $t) RETURNING {ChannelColumns}",
                ("$n", $"dm-{low}-{high}"), ("$l", low), ("$h", high), ("$t", ToUnixMs(now))), MapChannel)!;
            return (created, true);
        }, cancellationToken);
    }

    public Task<ChannelRecord?> FindDmChannelAsync(long userA, long userB, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command(SharedSql.DmChannelOfPair, ("$1", Math.Min(userA, userB)), ("$2", Math.Max(userA, userB))), MapChannel), cancellationToken);

    public Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId, long afterId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<WorkspaceRecord>>(c => ReadAll(c.Command(SharedSql.WorkspacesOfUser, ("$1", userId), ("$2", afterId), ("$3", limit)), MapWorkspace), cancellationToken);

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId, long afterId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ChannelRecord>>(c => ReadAll(c.Command(SharedSql.ChannelsOfWorkspace, ("$1", workspaceId), ("$2", afterId), ("$3", limit)), MapChannel), cancellationToken);

    public Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId, long afterUserId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<WorkspaceMemberRecord>>(c => ReadAll(c.Command(SharedSql.MembersOfWorkspace, ("$1", workspaceId), ("$2", afterUserId), ("$3", limit)),
            r => new WorkspaceMemberRecord(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4))), cancellationToken);

    public Task<IReadOnlyList<UserRecord>> SearchUsersSharingWorkspaceAsync(long userId, string likePattern, long afterUserId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<UserRecord>>(c => ReadAll(c.Command(SharedSql.UsersSharingWorkspace, ("$1", userId), ("$2", afterUserId), ("$3", likePattern), ("$4", limit)),
            r => MapPartner(r, 0)), cancellationToken);

    public Task<IReadOnlyList<DmChannelRecord>> ListDmChannelsAsync(long userId, long afterId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<DmChannelRecord>>(c => ReadAll(c.Command(SharedSql.DmChannels, ("$1", userId), ("$2", afterId), ("$3", limit)),
            r => new DmChannelRecord(MapChannel(r), MapPartner(r, 9))), cancellationToken);

    public Task<IReadOnlyList<ConversationRecord>> ListConversationsAsync(long userId, ActivityKey? before, int limit, int unreadLimit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ConversationRecord>>(c =>
        {
            var command = before is { } key
                ? c.Command(SharedSql.Conversations(withKey: true), ("$1", userId), ("$2", limit), ("$3", unreadLimit),
                    ("$4", ToUnixMs(key.ActivityAt)), ("$5", key.LastMessageId), ("$6", key.ChannelId))
                : c.Command(SharedSql.Conversations(withKey: false), ("$1", userId), ("$2", limit), ("$3", unreadLimit));
            return ReadAll(command, r =>
            {
                var partner = MapPartner(r, 9);
                StoredMessage? last = r.IsDBNull(17) ? null : new StoredMessage(r.GetInt64(17), r.GetInt64(18), r.GetInt64(19), r.GetInt64(20),
                    r.GetString(21), r.GetString(22), r.GetString(23), r.GetNullableString(24), r.GetNullableString(25), FromUnixMs(r.GetInt64(26)), false,
                    r.GetNullableInt64(30) is { } editedAt ? FromUnixMs(editedAt) : null);
                var readers = ReadCursors.ReadersOfLast(last, userId, r.GetNullableInt64(27), partner.Id, r.GetNullableInt64(28));
                return new ConversationRecord(MapChannel(r), partner, last, readers, r.GetInt32(29), FromUnixMs(r.GetInt64(15)), r.GetInt64(16));
            });
        }, cancellationToken);

    private static UserRecord MapPartner(SqliteDataReader r, int first) =>
        new(r.GetInt64(first), r.GetString(first + 1), r.GetString(first + 2), r.GetString(first + 3), r.GetString(first + 4), FromUnixMs(r.GetInt64(first + 5)));
}
