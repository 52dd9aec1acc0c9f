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

    public Task<WorkspaceRecord> CreateWorkspaceAsync(string name, string? description, long ownerId, DateTime now) =>
        Writer.EnqueueAsync(tx =>
        {
            var workspace = ReadSingle(tx.Command(
                "INSERT INTO workspaces (name, description, owner_id, created_at) VALUES ($n, $d, $o, $t) RETURNING id, name, description, owner_id, created_at",
                ("$n", name), ("$d", description), ("$o", ownerId), ("$t", ToUnixMs(now))), MapWorkspace)!;
            tx.Execute("INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($w, $u, 'owner', $t)",
                ("$w", workspace.Id), ("$u", ownerId), ("$t", ToUnixMs(now)));
            return workspace;
        });

    public Task<WorkspaceRecord?> GetWorkspaceAsync(long id) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {WorkspaceColumns} FROM workspaces w WHERE w.id = $id", ("$id", id)), MapWorkspace));

    public Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesOfUserAsync(long userId) =>
        ReadAsync<IReadOnlyList<WorkspaceRecord>>(c => ReadAll(c.Command(
            $"SELECT {WorkspaceColumns} FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id WHERE m.user_id = $u ORDER BY w.id",
            ("$u", userId)), MapWorkspace));

    public Task<string?> GetMemberRoleAsync(long workspaceId, long userId) =>
        ReadAsync(c =>
        {
            using var command = c.Command("SELECT role FROM workspace_members WHERE workspace_id = $w AND user_id = $u", ("$w", workspaceId), ("$u", userId));
            return command.ExecuteScalar() as string;
        });

    public Task<IReadOnlyList<WorkspaceMemberRecord>> ListMembersAsync(long workspaceId) =>
        ReadAsync<IReadOnlyList<WorkspaceMemberRecord>>(c => ReadAll(c.Command(
            "SELECT m.workspace_id, m.user_id, m.role, u.username, u.display_name FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $w ORDER BY m.user_id",
            ("$w", workspaceId)), r => new WorkspaceMemberRecord(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4))));

    public Task<IReadOnlyList<(long WorkspaceId, long UserId)>> ListMembershipsOfUsersAsync(IReadOnlyCollection<long> userIds) =>
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
        });

    public async Task<bool> AddMemberAsync(long workspaceId, long userId, string role, DateTime now) =>
        await Writer.EnqueueAsync(tx => tx.Execute(
            "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($w, $u, $r, $t) ON CONFLICT DO NOTHING",
            ("$w", workspaceId), ("$u", userId), ("$r", role), ("$t", ToUnixMs(now)))) > 0;

    public async Task<bool> RemoveMemberAsync(long workspaceId, long userId) =>
        await Writer.EnqueueAsync(tx => tx.Execute(
            "DELETE FROM workspace_members WHERE workspace_id = $w AND user_id = $u", ("$w", workspaceId), ("$u", userId))) > 0;

    public async Task<bool> SetMemberRoleAsync(long workspaceId, long userId, string role) =>
        await Writer.EnqueueAsync(tx => tx.Execute(
            "UPDATE workspace_members SET role = $r WHERE workspace_id = $w AND user_id = $u", ("$r", role), ("$w", workspaceId), ("$u", userId))) > 0;

    public Task<ChannelRecord> CreateChannelAsync(long workspaceId, string name, string type, string? subject, DateTime now) =>
        Writer.EnqueueAsync(tx => ReadSingle(tx.Command(
            $"INSERT INTO channels (workspace_id, name, type, subject, created_at) VALUES ($w, $n, $ty, $s, $t) RETURNING {ChannelColumns}",
            ("$w", workspaceId), ("$n", name), ("$ty", type), ("$s", subject), ("$t", ToUnixMs(now))), MapChannel)!);

    public Task<ChannelRecord?> GetChannelAsync(long id) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {ChannelColumns} FROM channels WHERE id = $id", ("$id", id)), MapChannel));

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(long workspaceId) =>
        ReadAsync<IReadOnlyList<ChannelRecord>>(c => ReadAll(c.Command($"SELECT {ChannelColumns} FROM channels WHERE workspace_id = $w ORDER BY id", ("$w", workspaceId)), MapChannel));

    public Task<(ChannelRecord Channel, bool Created)> GetOrCreateDmChannelAsync(long userA, long userB, DateTime now)
    {
        var (low, high) = userA < userB ? (userA, userB) : (userB, userA);
        return Writer.EnqueueAsync(tx =>
        {
            var existing = ReadSingle(tx.Command($"SELECT {ChannelColumns} FROM channels WHERE dm_user_low = $l AND dm_user_high = $h", ("$l", low), ("$h", high)), MapChannel);
            if (existing is not null)
            {
                return (existing, false);
            }
            var created = ReadSingle(tx.Command(
                $"INSERT INTO channels (workspace_id, name, type, dm_user_low, dm_user_high, created_at) VALUES (NULL, $n, 'dm', $l, $h, $t) RETURNING {ChannelColumns}",
                ("$n", $"dm-{low}-{high}"), ("$l", low), ("$h", high), ("$t", ToUnixMs(now))), MapChannel)!;
            return (created, true);
        });
    }

    public Task<IReadOnlyList<ChannelRecord>> ListDmChannelsAsync(long userId) =>
        ReadAsync<IReadOnlyList<ChannelRecord>>(c => ReadAll(c.Command(
            $"SELECT {ChannelColumns} FROM channels WHERE type = 'dm' AND (dm_user_low = $u OR dm_user_high = $u) ORDER BY id", ("$u", userId)), MapChannel));
}
