using System.Threading.Channels;
using Npgsql;

namespace Parley.Server.Storage.Postgres;

/// <summary>
/// This node's message appends to PostgreSQL, grouped: a loop takes whatever has queued up (at most
/// <c>Storage:MaxWriteBatch</c>) and sends it as one batch, which PostgreSQL runs as one implicit transaction and
/// commits at its end: one round trip and one commit for the group instead of about six round trips per message.
/// One loop per node appends in call order, so one node's sends to a channel take their seqs in the order they
/// were made (<see cref="IChatStore.AppendsInCallOrder"/>); nodes still serialize on the channel row.
/// </summary>
/// <remarks>
/// Every append is one statement (<see cref="AppendSql"/>) that locks the channel's row, takes the next seq, inserts,
/// and moves the channel's activity and the author's read cursor, or inserts nothing when the author's
/// <c>clientMsgId</c> is already stored, which then burns no seq. A group locks its channels' rows in ascending
/// id order (the appends are stably sorted by channel, keeping each channel's call order), so two nodes' groups
/// never wait on each other in a cycle. When the server refuses a statement it rolls back the whole group; each
/// append of it then runs alone, so only the faulty one fails. Any other failure (the connection, a restart)
/// fails the whole group: nothing is acknowledged that is not committed.
/// </remarks>
internal sealed class PostgresAppendQueue : IAsyncDisposable
{
    private const string AppendSql =
        "WITH next AS (SELECT last_seq + 1 AS seq FROM channels WHERE id = $1 FOR UPDATE), " +
        "inserted AS (INSERT INTO messages (channel_id, seq, author_id, content, message_type, file_url, client_msg_id, created_at) " +
        "SELECT $1, next.seq, $2, $3, $4, $5, $6, $7 FROM next " +
        "ON CONFLICT (channel_id, author_id, client_msg_id) WHERE client_msg_id IS NOT NULL DO NOTHING RETURNING id, seq), " +
        "channel AS (UPDATE channels SET last_seq = inserted.seq, activity_at = $7, last_message_id = inserted.id FROM inserted WHERE channels.id = $1), " +
        // The author had read everything before: they have read their own message too (see SqliteChatStore).
        "first_cursor AS (INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at) " +
        "SELECT $1, $2, 1, $7 FROM inserted WHERE inserted.seq = 1 ON CONFLICT DO NOTHING), " +
        "next_cursor AS (UPDATE read_cursors SET last_read_seq = inserted.seq, updated_at = $7 FROM inserted " +
        "WHERE inserted.seq > 1 AND read_cursors.channel_id = $1 AND read_cursors.user_id = $2 AND read_cursors.last_read_seq = inserted.seq - 1) " +
        "SELECT id, seq FROM inserted";

    private readonly Channel<PendingAppend> _queue;
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task _loop;

    /// <param name="dataSource">Where the appends go.</param>
    /// <param name="maxBatch">Most appends sent as one batch (<c>Storage:MaxWriteBatch</c>).</param>
    /// <param name="maxQueued">
    /// Most appends waiting (<c>Storage:MaxQueuedWrites</c>); one more waits for room, behind those already waiting,
    /// so one caller's appends keep their order, and its task completes that much later.
    /// </param>
    /// <param name="logger">Where failed groups are logged.</param>
    public PostgresAppendQueue(NpgsqlDataSource dataSource, int maxBatch, int maxQueued, ILogger logger)
    {
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(Math.Max(1, maxQueued))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _dataSource = dataSource;
        _maxBatch = Math.Max(1, maxBatch);
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The stored row (id, seq), or null when nothing was inserted: a repeated <c>clientMsgId</c>, or no such channel.</summary>
    public Task<InsertedRow?> AppendAsync(NewMessage message)
    {
        var append = new PendingAppend(message);
        var queued = _queue.Writer.WriteAsync(append);
        if (queued.IsCompletedSuccessfully)
        {
            return append.Completion.Task;
        }
        if (queued.IsCompleted)
        {
            throw new ObjectDisposedException(nameof(PostgresAppendQueue));
        }
        // Full: the append waits among the channel's blocked writers, which are let in first come, first served.
        _ = FailIfNeverQueuedAsync(queued, append);
        return append.Completion.Task;
    }

    private static async Task FailIfNeverQueuedAsync(ValueTask queued, PendingAppend append)
    {
        try
        {
            await queued.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            append.Completion.TrySetException(new ObjectDisposedException(nameof(PostgresAppendQueue)));
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingAppend>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var append))
            {
                batch.Add(append);
            }
            await CommitAsync([.. batch.OrderBy(a => a.Message.ChannelId)]).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(PendingAppend[] group)
    {
        try
        {
            var rows = await RunAsync(group).ConfigureAwait(false);
            for (var i = 0; i < group.Length; i++)
            {
                group[i].Completion.TrySetResult(rows[i]);
            }
            return;
        }
        catch (PostgresException ex) when (group.Length > 1)
        {
            PostgresLog.GroupRefused(_logger, group.Length, ex.SqlState);
        }
        catch (Exception ex)
        {
            PostgresLog.GroupFailed(_logger, group.Length, ex);
            foreach (var append in group)
            {
                append.Completion.TrySetException(ex);
            }
            return;
        }
        foreach (var append in group)
        {
            try
            {
                append.Completion.TrySetResult((await RunAsync([append]).ConfigureAwait(false))[0]);
            }
            catch (Exception ex)
            {
                append.Completion.TrySetException(ex);
            }
        }
    }

    /// <summary>Runs <paramref name="appends"/> as one batch: one implicit transaction, committed when the batch ends.</summary>
    private async Task<InsertedRow?[]> RunAsync(PendingAppend[] appends)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var append in appends)
        {
            var message = append.Message;
            var command = new NpgsqlBatchCommand(AppendSql);
            foreach (var value in new object?[] { message.ChannelId, message.AuthorId, message.Content, message.MessageType, message.FileUrl, message.ClientMsgId, PostgresCommands.ToDb(message.CreatedAt) })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
        var rows = new InsertedRow?[appends.Length];
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        for (var i = 0; i < appends.Length; i++)
        {
            if (i > 0 && !await reader.NextResultAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"The append batch returned {i} results for {appends.Length} statements.");
            }
            rows[i] = await reader.ReadAsync().ConfigureAwait(false) ? new InsertedRow(reader.GetInt64(0), reader.GetInt64(1)) : null;
        }
        // The batch commits when its last result has been read (PostgreSQL's implicit transaction ends at the batch's end).
        while (await reader.NextResultAsync().ConfigureAwait(false))
        {
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class PendingAppend(NewMessage message)
    {
        public NewMessage Message { get; } = message;

        public TaskCompletionSource<InsertedRow?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What an append stored: the message's id and its seq in the channel.</summary>
internal sealed record InsertedRow(long Id, long Seq);
