using Microsoft.Data.Sqlite;
using static Parley.Server.Storage.Sqlite.SqliteCommands;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    private const string MessageSelect =
        "SELECT m.id, m.channel_id, m.seq, m.author_id, u.username, m.content, m.message_type, m.file_url, m.client_msg_id, m.created_at, m.deleted_at IS NOT NULL, m.edited_at " +
        "FROM messages m JOIN users u ON u.id = m.author_id ";

    private static StoredMessage MapMessage(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6),
            r.GetNullableString(7), r.GetNullableString(8), FromUnixMs(r.GetInt64(9)), r.GetBoolean(10),
            r.GetNullableInt64(11) is { } editedAt ? FromUnixMs(editedAt) : null);

    // Publishing: the chat core publishes each append as its task completes, so a committed group's appends are
    // completed (and published) together, in one pass (SqliteWriteQueue.EnqueuePublishingAsync).
    public Task<AppendResult> AppendMessageAsync(NewMessage message, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            // Run for every message: prepared once, parameters by position (SqliteStatementCache.Raw), never disposed.
            var statements = Writer.Statements;
            var createdAt = ToUnixMs(message.CreatedAt);
            if (message.ClientMsgId is not null &&
                statements.Raw("SELECT 1 FROM messages WHERE channel_id = ?1 AND author_id = ?2 AND client_msg_id = ?3")
                    .Bind(1, message.ChannelId).Bind(2, message.AuthorId).Bind(3, message.ClientMsgId).ExecuteScalar() is not null)
            {
                // A retry, seldom: read the original whole.
                using var reader = statements.Get(tx,
                    MessageSelect + "WHERE m.channel_id = $c AND m.author_id = $a AND m.client_msg_id = $k",
                    ("$c", message.ChannelId), ("$a", message.AuthorId), ("$k", message.ClientMsgId)).ExecuteReader();
                reader.Read();
                return new AppendResult(MapMessage(reader), false);
            }
            var seq = statements.Raw("UPDATE channels SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq")
                .Bind(1, message.ChannelId).ExecuteScalar() ?? throw new InvalidOperationException($"Channel {message.ChannelId} does not exist.");
            var id = statements.Raw(
                    "INSERT INTO messages (channel_id, seq, author_id, content, message_type, file_url, client_msg_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id")
                .Bind(1, message.ChannelId).Bind(2, seq).Bind(3, message.AuthorId).Bind(4, message.Content).Bind(5, message.MessageType)
                .Bind(6, message.FileUrl).Bind(7, message.ClientMsgId).Bind(8, createdAt).ExecuteScalar()!.Value;
            statements.Raw("UPDATE channels SET activity_at = ?2, last_message_id = ?3 WHERE id = ?1")
                .Bind(1, message.ChannelId).Bind(2, createdAt).Bind(3, id).ExecuteNonQuery();
            AdvanceAuthorCursor(statements, message, seq, createdAt);
            var stored = new StoredMessage(id, message.ChannelId, seq, message.AuthorId, message.AuthorUsername, message.Content,
                message.MessageType, message.FileUrl, message.ClientMsgId, FromUnixMs(createdAt), false, null);
            return new AppendResult(stored, true);
        }, cancellationToken, publishing: true);

    /// <summary>
    /// An author who had read everything before their message has read it too: their cursor moves onto it, so that
    /// counting unread messages after a cursor seldom has to step over the user's own messages.
    /// </summary>
    private static void AdvanceAuthorCursor(SqliteStatementCache statements, NewMessage message, long seq, long now)
    {
        if (seq == 1)
        {
            statements.Raw("INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at) VALUES (?1, ?2, 1, ?3) ON CONFLICT DO NOTHING")
                .Bind(1, message.ChannelId).Bind(2, message.AuthorId).Bind(3, now).ExecuteNonQuery();
            return;
        }
        statements.Raw("UPDATE read_cursors SET last_read_seq = ?3, updated_at = ?4 WHERE channel_id = ?1 AND user_id = ?2 AND last_read_seq = ?3 - 1")
            .Bind(1, message.ChannelId).Bind(2, message.AuthorId).Bind(3, seq).Bind(4, now).ExecuteNonQuery();
    }

    public Task<StoredMessage?> FindMessageByClientMsgIdAsync(long channelId, long authorId, string clientMsgId, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command(
            MessageSelect + "WHERE m.channel_id = $c AND m.author_id = $a AND m.client_msg_id = $k",
            ("$c", channelId), ("$a", authorId), ("$k", clientMsgId)), MapMessage), cancellationToken);

    public Task<StoredMessage?> GetMessageAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command(MessageSelect + "WHERE m.id = $id", ("$id", id)), MapMessage), cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ListMessagesBeforeAsync(long channelId, long? beforeId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredMessage>>(c =>
        {
            var newestFirst = beforeId is null
                ? ReadAll(c.Command(MessageSelect + "WHERE m.channel_id = $c AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT $l",
                    ("$c", channelId), ("$l", limit)), MapMessage)
                : ReadAll(c.Command(MessageSelect + "WHERE m.channel_id = $c AND m.deleted_at IS NULL AND m.seq < (SELECT seq FROM messages WHERE id = $b AND channel_id = $c) ORDER BY m.seq DESC LIMIT $l",
                    ("$c", channelId), ("$b", beforeId), ("$l", limit)), MapMessage);
            newestFirst.Reverse();
            return newestFirst;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ListMessagesAfterSeqAsync(long channelId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        // A negative LIMIT means "no limit" to SQLite: never let a caller's arithmetic read a whole channel.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<StoredMessage>>(c => ReadAll(c.Command(
            MessageSelect + "WHERE m.channel_id = $c AND m.seq > $s AND m.deleted_at IS NULL ORDER BY m.seq LIMIT $l",
            ("$c", channelId), ("$s", afterSeq), ("$l", limit)), MapMessage), cancellationToken);
    }

    public Task<long?> FindSeqBeforeNewestAsync(long channelId, long afterSeq, long upToSeq, int keep, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        return ReadAsync(c =>
        {
            using var command = c.Command(SharedSql.SeqBeforeNewest, ("$1", channelId), ("$2", afterSeq), ("$3", upToSeq), ("$4", keep));
            return command.ExecuteScalar() is long seq ? seq : (long?)null;
        }, cancellationToken);
    }

    public Task<bool> DeleteMessageAsync(long messageId, DateTime now, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            if (tx.Execute("UPDATE messages SET deleted_at = $t WHERE id = $id AND deleted_at IS NULL", ("$t", ToUnixMs(now)), ("$id", messageId)) == 0)
            {
                return false;
            }
            tx.Execute(SharedSql.RecomputeActivity, ("$1", messageId));
            return true;
        }, cancellationToken);

    public Task<StoredMessage?> EditMessageAsync(long messageId, string content, DateTime editedAt, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            // Through the single writer like every change, so an edit and a delete of one message are ordered.
            if (tx.Execute("UPDATE messages SET content = $b, edited_at = $t WHERE id = $id AND deleted_at IS NULL",
                    ("$b", content), ("$t", ToUnixMs(editedAt)), ("$id", messageId)) == 0)
            {
                return null;
            }
            return ReadSingle(tx.Command(MessageSelect + "WHERE m.id = $id", ("$id", messageId)), MapMessage);
        }, cancellationToken);

    public async Task<bool> MarkReadAsync(long messageId, long userId, DateTime now, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute(
            "INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at) SELECT channel_id, $u, seq, $t FROM messages WHERE id = $m " +
            "ON CONFLICT (channel_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq, updated_at = excluded.updated_at " +
            "WHERE excluded.last_read_seq > read_cursors.last_read_seq",
            ("$m", messageId), ("$u", userId), ("$t", ToUnixMs(now))), cancellationToken) > 0;

    public Task<long> GetReadCursorAsync(long channelId, long userId, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var command = c.Command("SELECT last_read_seq FROM read_cursors WHERE channel_id = $c AND user_id = $u", ("$c", channelId), ("$u", userId));
            return command.ExecuteScalar() is long seq ? seq : 0L;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<long, IReadOnlyList<long>>> GetReadersAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, IReadOnlyList<long>>>(new Dictionary<long, IReadOnlyList<long>>());
        }
        return ReadAsync(c =>
        {
            var cursors = new Dictionary<long, List<(long, long)>>();
            foreach (var (channelId, minSeq) in ReadCursors.Channels(messages))
            {
                cursors[channelId] = ReadAll(c.Command(SharedSql.CursorsReaching, ("$1", channelId), ("$2", minSeq)), r => (r.GetInt64(0), r.GetInt64(1)));
            }
            return ReadCursors.ReadersOf(messages, cursors);
        }, cancellationToken);
    }

    public Task<int> CountUnreadAsync(long channelId, long userId, int limit, CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var command = c.Command(SharedSql.CountUnread, ("$1", channelId), ("$2", userId), ("$3", limit));
            return (int)(long)command.ExecuteScalar()!;
        }, cancellationToken);

    public async Task<bool> PinAsync(long channelId, long messageId, long userId, DateTime now, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute(
            "INSERT INTO pins (channel_id, message_id, pinned_by, pinned_at) VALUES ($c, $m, $u, $t) ON CONFLICT DO NOTHING",
            ("$c", channelId), ("$m", messageId), ("$u", userId), ("$t", ToUnixMs(now))), cancellationToken) > 0;

    public async Task<bool> UnpinAsync(long channelId, long messageId, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute(
            "DELETE FROM pins WHERE channel_id = $c AND message_id = $m", ("$c", channelId), ("$m", messageId)), cancellationToken) > 0;

    public Task<IReadOnlyList<StoredMessage>> ListPinnedAsync(long channelId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredMessage>>(c => ReadAll(c.Command(
            MessageSelect + "JOIN pins p ON p.message_id = m.id AND p.channel_id = $c WHERE m.deleted_at IS NULL ORDER BY p.pinned_at, m.id",
            ("$c", channelId)), MapMessage), cancellationToken);

    public Task<IReadOnlyList<PinnedMessage>> ListPinnedAsync(long channelId, PinKey? after, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<PinnedMessage>>(c => ReadAll(after is { } key
                ? c.Command(SharedSql.Pins(withKey: true), ("$1", channelId), ("$2", limit), ("$3", ToUnixMs(key.PinnedAt)), ("$4", key.MessageId))
                : c.Command(SharedSql.Pins(withKey: false), ("$1", channelId), ("$2", limit)),
            r => new PinnedMessage(MapMessage(r), FromUnixMs(r.GetInt64(12)))), cancellationToken);
}
