using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Parley.Bench.Dataset;

/// <summary>
/// Writes a <see cref="DatasetShape"/> straight into a Parley SQLite database that the server has already migrated
/// and that holds the <see cref="DatasetAccounts"/>: users, workspaces with their members and channels, the measured
/// channel's history with its owner's read cursor halfway, and the DM user's conversations. Rows are inserted with
/// prepared statements in large transactions and explicit ids (after the highest existing one), so that related
/// rows can name each other without reading anything back. The columns the server keeps per channel (last_seq,
/// activity_at, last_message_id) are written as its appends would have left them.
/// </summary>
internal static class DatasetGenerator
{
    private const int RowsPerTransaction = 50_000;
    private const string Content = "generated message, about as long as a line of chat: the quick brown fox jumps over the lazy dog";

    public static DatasetLandmarks Generate(string databasePath, DatasetAccounts accounts, DatasetShape shape)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        // Speed over durability while generating (a failed run is thrown away); the file is checkpointed at the end.
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;");
        var passwordHash = (string)Scalar(connection, "SELECT password_hash FROM users WHERE id = $1", accounts.Owner.Id);
        var firstUser = 1 + (long)Scalar(connection, "SELECT MAX(id) FROM users");
        var firstWorkspace = 1 + (long)Scalar(connection, "SELECT MAX(id) FROM workspaces");
        var firstChannel = 1 + (long)Scalar(connection, "SELECT MAX(id) FROM channels");
        var firstMessage = 1 + (long)Scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM messages");
        // History ends a minute ago, one message a second before that; DMs come after the channel's history.
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000 - (1_000L * (shape.BigChannelMessages + (shape.DmConversations * shape.MessagesPerDm)));
        using var batch = new Batch(connection);

        var users = batch.Prepare(
            "INSERT INTO users (id, username, username_normalized, display_name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, 'student', $5, $6)");
        for (var g = 0; g < shape.GeneratedUsers; g++)
        {
            var name = FormattableString.Invariant($"gen{g}");
            batch.Run(users, firstUser + g, name, name.ToUpperInvariant(), name, passwordHash, start);
        }
        long User(long generated) => firstUser + generated;

        var workspaces = batch.Prepare("INSERT INTO workspaces (id, name, owner_id, created_at) VALUES ($1, $2, $3, $4)");
        var members = batch.Prepare("INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)");
        var channels = batch.Prepare(
            "INSERT INTO channels (id, workspace_id, name, type, last_seq, created_at, activity_at, last_message_id) VALUES ($1, $2, $3, 'text', 0, $4, $4, 0)");
        var nextChannel = firstChannel;
        // The bench's workspace is the first: its two members and the measured channel exist; fill it up to the shape.
        for (var k = 0; k < shape.MembersPerWorkspace - 2; k++)
        {
            batch.Run(members, accounts.WorkspaceId, User(k), "member", start);
        }
        for (var c = 1; c < shape.ChannelsPerWorkspace; c++)
        {
            batch.Run(channels, nextChannel++, accounts.WorkspaceId, FormattableString.Invariant($"c{c}"), start);
        }
        for (var w = 1; w < shape.Workspaces; w++)
        {
            var workspace = firstWorkspace + w - 1;
            // Consecutive generated users, wrapping around: each user is in about Memberships / GeneratedUsers workspaces.
            var ownerIndex = (long)w * shape.MembersPerWorkspace % shape.GeneratedUsers;
            batch.Run(workspaces, workspace, FormattableString.Invariant($"w{w}"), User(ownerIndex), start);
            for (var k = 0; k < shape.MembersPerWorkspace; k++)
            {
                batch.Run(members, workspace, User((ownerIndex + k) % shape.GeneratedUsers), k == 0 ? "owner" : "member", start);
            }
            for (var c = 0; c < shape.ChannelsPerWorkspace; c++)
            {
                batch.Run(channels, nextChannel++, workspace, FormattableString.Invariant($"c{c}"), start);
            }
        }

        var messages = batch.Prepare(
            "INSERT INTO messages (id, channel_id, seq, author_id, content, message_type, created_at) VALUES ($1, $2, $3, $4, $5, 'text', $6)");
        var cursors = batch.Prepare("INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at) VALUES ($1, $2, $3, $4)");
        var activity = batch.Prepare("UPDATE channels SET last_seq = $2, activity_at = $3, last_message_id = $4 WHERE id = $1");
        var nextMessage = firstMessage;
        var time = start;
        // The measured channel: every message by the sender (the owner's own messages would be skipped by the unread
        // count, not counted), the owner's cursor halfway, the sender's at the end (an author who read everything).
        for (var seq = 1; seq <= shape.BigChannelMessages; seq++)
        {
            batch.Run(messages, nextMessage++, accounts.ChannelId, seq, accounts.Sender.Id, Content, time += 1_000);
        }
        var ownerRead = shape.BigChannelMessages / 2;
        batch.Run(cursors, accounts.ChannelId, accounts.Owner.Id, ownerRead, time);
        batch.Run(cursors, accounts.ChannelId, accounts.Sender.Id, shape.BigChannelMessages, time);
        batch.Run(activity, accounts.ChannelId, shape.BigChannelMessages, time, nextMessage - 1);

        var dms = batch.Prepare(
            "INSERT INTO channels (id, workspace_id, name, type, dm_user_low, dm_user_high, last_seq, created_at, activity_at, last_message_id) VALUES ($1, NULL, $2, 'dm', $3, $4, $5, $6, $7, $8)");
        // Each DM alternates authors; the DM user has read half of each, the partner all of it.
        for (var d = 0; d < shape.DmConversations; d++)
        {
            var partner = User(d);
            var (low, high) = accounts.DmUser.Id < partner ? (accounts.DmUser.Id, partner) : (partner, accounts.DmUser.Id);
            var channel = nextChannel++;
            var created = time;
            for (var seq = 1; seq <= shape.MessagesPerDm; seq++)
            {
                batch.Run(messages, nextMessage++, channel, seq, seq % 2 == 1 ? partner : accounts.DmUser.Id, Content, time += 1_000);
            }
            batch.Run(dms, channel, FormattableString.Invariant($"dm-{low}-{high}"), low, high, shape.MessagesPerDm, created, time, nextMessage - 1);
            batch.Run(cursors, channel, accounts.DmUser.Id, shape.MessagesPerDm / 2, time);
            batch.Run(cursors, channel, partner, shape.MessagesPerDm, time);
        }
        batch.Commit();
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Scenarios.BenchContext.Log(FormattableString.Invariant(
            $"  generated {shape.Name}: {batch.Rows:#,0} rows in {clock.Elapsed.TotalSeconds:0.0} s, {new FileInfo(databasePath).Length / 1048576.0:#,0} MB ({shape.Describe()})"));
        return new DatasetLandmarks(firstMessage, shape.BigChannelMessages, ownerRead);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object Scalar(SqliteConnection connection, string sql, params object[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(FormattableString.Invariant($"${i + 1}"), values[i]);
        }
        return command.ExecuteScalar() ?? throw new InvalidOperationException($"No answer to {sql}");
    }

    /// <summary>Prepared statements sharing one open transaction, committed every <see cref="RowsPerTransaction"/> rows.</summary>
    private sealed class Batch(SqliteConnection connection) : IDisposable
    {
        private readonly List<SqliteCommand> _commands = [];
        private SqliteTransaction _transaction = connection.BeginTransaction();
        private int _pending;

        public long Rows { get; private set; }

        public SqliteCommand Prepare(string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = _transaction;
            // Parameters are $1..$n, bound by position (a number may appear twice in the statement).
            var count = Regex.Matches(sql, @"\$(\d+)").Max(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            for (var i = 1; i <= count; i++)
            {
                command.Parameters.Add(new SqliteParameter(FormattableString.Invariant($"${i}"), null));
            }
            command.Prepare();
            _commands.Add(command);
            return command;
        }

        public void Run(SqliteCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }
            command.ExecuteNonQuery();
            Rows++;
            if (++_pending == RowsPerTransaction)
            {
                Commit();
                _transaction = connection.BeginTransaction();
                foreach (var prepared in _commands)
                {
                    prepared.Transaction = _transaction;
                }
            }
        }

        public void Commit()
        {
            _transaction.Commit();
            _transaction.Dispose();
            _pending = 0;
        }

        public void Dispose()
        {
            foreach (var command in _commands)
            {
                command.Dispose();
            }
            _transaction.Dispose();
        }
    }
}
