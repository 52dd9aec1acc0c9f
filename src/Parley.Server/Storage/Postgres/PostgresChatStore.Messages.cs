using Npgsql;
using static Parley.Server.Storage.Postgres.PostgresCommands;

namespace Parley.Server.Storage.Postgres;

public sealed partial class PostgresChatStore
{
    private const string MessageSelect =
        "SELECT m.id, m.channel_id, m.seq, m.author_id, u.username, m.content, m.message_type, m.file_url, m.client_msg_id, m.created_at, m.deleted_at IS NOT NULL, m.edited_at " +
        "FROM messages m JOIN users u ON u.id = m.author_id ";

    private static StoredMessage MapMessage(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6),
            r.GetNullableString(7), r.GetNullableString(8), r.GetUtc(9), r.GetBoolean(10), r.IsDBNull(11) ? null : r.GetUtc(11));

    public async Task<AppendResult> AppendMessageAsync(NewMessage message, CancellationToken cancellationToken)
    {
        // Honoured only before the append is queued: a group in flight is shared by many callers and runs to its commit.
        cancellationToken.ThrowIfCancellationRequested();
        var createdAt = ToDb(message.CreatedAt);
        if (await _appends.AppendAsync(message) is { } inserted)
        {
            var stored = new StoredMessage(inserted.Id, message.ChannelId, inserted.Seq, message.AuthorId, message.AuthorUsername,
                message.Content, message.MessageType, message.FileUrl, message.ClientMsgId, createdAt, false, null);
            return new AppendResult(stored, true);
        }
        // Nothing inserted: the author's clientMsgId was stored already (ON CONFLICT waited for a writer still committing
        // it, so it is visible now), or the channel does not exist.
        if (message.ClientMsgId is not null && await FindMessageByClientMsgIdAsync(message.ChannelId, message.AuthorId, message.ClientMsgId, cancellationToken) is { } original)
        {
            return new AppendResult(original, false);
        }
        throw new InvalidOperationException($"Channel {message.ChannelId} does not exist.");
    }

    public Task<StoredMessage?> FindMessageByClientMsgIdAsync(long channelId, long authorId, string clientMsgId, CancellationToken cancellationToken) =>
        _dataSource.Command(MessageSelect + "WHERE m.channel_id = $1 AND m.author_id = $2 AND m.client_msg_id = $3", channelId, authorId, clientMsgId)
            .ReadSingleAsync(MapMessage, cancellationToken);

    public Task<StoredMessage?> GetMessageAsync(long id, CancellationToken cancellationToken) =>
        _dataSource.Command(MessageSelect + "WHERE m.id = $1", id).ReadSingleAsync(MapMessage, cancellationToken);

    public async Task<IReadOnlyList<StoredMessage>> ListMessagesBeforeAsync(long channelId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        // The newest page first (so LIMIT keeps the right rows), then turned oldest first. A beforeId of another
        // channel matches no seq, so the page is empty.
        var newestFirst = beforeId is null
            ? await _dataSource.Command(
                MessageSelect + "WHERE m.channel_id = $1 AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT $2",
                channelId, (long)limit).ReadAllAsync(MapMessage, cancellationToken)
            : await _dataSource.Command(
                MessageSelect + "WHERE m.channel_id = $1 AND m.deleted_at IS NULL AND m.seq < (SELECT seq FROM messages WHERE id = $2 AND channel_id = $1) ORDER BY m.seq DESC LIMIT $3",
                channelId, beforeId.Value, (long)limit).ReadAllAsync(MapMessage, cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<IReadOnlyList<StoredMessage>> ListMessagesAfterSeqAsync(long channelId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await _dataSource.Command(
            MessageSelect + "WHERE m.channel_id = $1 AND m.seq > $2 AND m.deleted_at IS NULL ORDER BY m.seq LIMIT $3",
            channelId, afterSeq, (long)limit).ReadAllAsync(MapMessage, cancellationToken);
    }

    public async Task<long?> FindSeqBeforeNewestAsync(long channelId, long afterSeq, long upToSeq, int keep, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keep);
        return await _dataSource.Command(SharedSql.SeqBeforeNewest, channelId, afterSeq, upToSeq, (long)keep).ScalarAsync<long?>(cancellationToken);
    }

    public async Task<bool> DeleteMessageAsync(long messageId, DateTime now, CancellationToken cancellationToken)
    {
        if (await Writing(cancellationToken).Command("UPDATE messages SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL", ToDb(now), messageId).ExecuteAsync(CancellationToken.None) == 0)
        {
            return false;
        }
        // An append that commits meanwhile holds the channel row and changes last_message_id, so this then matches nothing.
        await _dataSource.Command(SharedSql.RecomputeActivity, messageId).ExecuteAsync(CancellationToken.None);
        return true;
    }

    // One statement: the update locks the row, so a concurrent delete either commits first (nothing matches) or waits
    // for the edit; the message is read back as the update left it.
    private static readonly string EditMessage =
        "WITH edited AS (UPDATE messages SET content = $1, edited_at = $2 WHERE id = $3 AND deleted_at IS NULL RETURNING *) " +
        MessageSelect.Replace("FROM messages m", "FROM edited m", StringComparison.Ordinal);

    public Task<StoredMessage?> EditMessageAsync(long messageId, string content, DateTime editedAt, CancellationToken cancellationToken) =>
        Writing(cancellationToken).Command(EditMessage, content, ToDb(editedAt), messageId).ReadSingleAsync(MapMessage, CancellationToken.None);

    public async Task<bool> MarkReadAsync(long messageId, long userId, DateTime now, CancellationToken cancellationToken) =>
        // Concurrent marks of one user queue on the cursor row; the WHERE is checked again on the newest row version,
        // so exactly one of several racing marks of the same message reports that the cursor moved.
        await Writing(cancellationToken).Command(
            "INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at) SELECT channel_id, $2, seq, $3 FROM messages WHERE id = $1 " +
            "ON CONFLICT (channel_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq, updated_at = excluded.updated_at " +
            "WHERE excluded.last_read_seq > read_cursors.last_read_seq",
            messageId, userId, ToDb(now)).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<long> GetReadCursorAsync(long channelId, long userId, CancellationToken cancellationToken) =>
        await _dataSource.Command("SELECT last_read_seq FROM read_cursors WHERE channel_id = $1 AND user_id = $2", channelId, userId).ScalarAsync<long?>(cancellationToken) ?? 0;

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<long>>> GetReadersAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<long, List<(long, long)>>();
        foreach (var (channelId, minSeq) in ReadCursors.Channels(messages))
        {
            cursors[channelId] = await _dataSource.Command(SharedSql.CursorsReaching, channelId, minSeq).ReadAllAsync(r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken);
        }
        return ReadCursors.ReadersOf(messages, cursors);
    }

    public async Task<int> CountUnreadAsync(long channelId, long userId, int limit, CancellationToken cancellationToken) =>
        (int)await _dataSource.Command(SharedSql.CountUnread, channelId, userId, (long)limit).ScalarAsync<long>(cancellationToken);

    public async Task<bool> PinAsync(long channelId, long messageId, long userId, DateTime now, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command(
            "INSERT INTO pins (channel_id, message_id, pinned_by, pinned_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            channelId, messageId, userId, ToDb(now)).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<bool> UnpinAsync(long channelId, long messageId, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command("DELETE FROM pins WHERE channel_id = $1 AND message_id = $2", channelId, messageId).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<IReadOnlyList<StoredMessage>> ListPinnedAsync(long channelId, CancellationToken cancellationToken) =>
        await _dataSource.Command(
            MessageSelect + "JOIN pins p ON p.message_id = m.id AND p.channel_id = $1 WHERE m.deleted_at IS NULL ORDER BY p.pinned_at, m.id",
            channelId).ReadAllAsync(MapMessage, cancellationToken);

    public async Task<IReadOnlyList<PinnedMessage>> ListPinnedAsync(long channelId, PinKey? after, int limit, CancellationToken cancellationToken) =>
        await (after is { } key
                ? _dataSource.Command(SharedSql.Pins(withKey: true), channelId, (long)limit, ToDb(key.PinnedAt), key.MessageId)
                : _dataSource.Command(SharedSql.Pins(withKey: false), channelId, (long)limit))
            .ReadAllAsync(r => new PinnedMessage(MapMessage(r), r.GetUtc(12)), cancellationToken);
}
