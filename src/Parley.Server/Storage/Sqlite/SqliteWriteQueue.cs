using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite database. SQLite allows one writer at a time, so instead of letting
/// callers contend for the lock, writes are queued and a loop commits whatever has queued up in one
/// transaction (group commit): one fsync for many messages. Each write runs inside its own savepoint,
/// so one failing write does not undo the others; a write's task completes only after the commit.
/// </summary>
/// <remarks>
/// The queue is bounded (<see cref="StorageOptions.MaxQueuedWrites"/>). A write that finds it full waits for room
/// before it is queued, and its task completes that much later; writers waiting for room are queued in the
/// order they came, so one caller's writes still commit in call order. The wait is the back-pressure: a socket
/// reader has at most <c>Realtime:MaxSendsInFlight</c> sends in flight, so it stops reading, and an HTTP send
/// answers later.
/// </remarks>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue;
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SqliteWriteQueue(SqliteConnection openConnection, int maxBatch, int maxQueued, ILogger logger)
    {
        _logger = logger;
        _connection = openConnection;
        Statements = new SqliteStatementCache(openConnection);
        _maxBatch = Math.Max(1, maxBatch);
        // Wait, not drop: a full queue makes writers wait for room, in the order they came (see the remarks).
        _queue = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(Math.Max(1, maxQueued))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Prepared statements for the hot writes; only for use inside queued work.</summary>
    public SqliteStatementCache Statements { get; }

    /// <summary>
    /// Queues a write; its task completes after the commit of its group. Continuations of the task run on the
    /// thread pool, each on its own.
    /// </summary>
    public Task<T> EnqueueAsync<T>(Func<SqliteTransaction, T> work) => Enqueue(new WriteOperation<T>(work, inGroupPass: false));

    /// <summary>
    /// Queues a write whose continuation publishes what it wrote (a message append): once its group has committed,
    /// one thread-pool work item completes every such write of the group in queue order, and their continuations
    /// run inline in it, one after the other. A group of appends thus costs one hop from the writer, not one per
    /// message, and what they publish is queued on the sockets together, so a socket's flush (scheduled on its
    /// first frame) finds the whole group's frames and writes them at once. The continuations must not block.
    /// </summary>
    public Task<T> EnqueuePublishingAsync<T>(Func<SqliteTransaction, T> work) => Enqueue(new WriteOperation<T>(work, inGroupPass: true));

    private Task<T> Enqueue<T>(WriteOperation<T> operation)
    {
        var queued = _queue.Writer.WriteAsync(operation);
        if (queued.IsCompletedSuccessfully)
        {
            return operation.Task;
        }
        if (queued.IsCompleted)
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue));
        }
        // Full: the operation waits among the channel's blocked writers, which are let in first come, first served.
        _ = FailIfNeverQueuedAsync(queued, operation);
        return operation.Task;
    }

    private static async Task FailIfNeverQueuedAsync(ValueTask queued, WriteOperation operation)
    {
        try
        {
            await queued.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            operation.Fail(new ObjectDisposedException(nameof(SqliteWriteQueue)));
            operation.Settle();
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<WriteOperation>(Math.Min(_maxBatch, 64));
            while (batch.Count < _maxBatch && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }
            CommitBatch(batch);
            Settle(batch);
        }
    }

    /// <summary>
    /// Commits the batch; every write of it ends, one way or the other (then <see cref="Settle"/> completes their
    /// tasks). A write that throws is undone by its savepoint and fails alone. When SQLite rolls back the whole
    /// transaction instead (SQLITE_FULL, IOERR, NOMEM, BUSY: the savepoint is gone) or the commit fails, every write
    /// of the batch not yet failed fails with that exception: those that had run were rolled back with it, and those
    /// not yet run are not retried, since the cause (a full disk, an I/O error) would most likely fail them again
    /// and a retry could be late for a caller that already gave up. Nothing is acknowledged that is not committed.
    /// </summary>
    private void CommitBatch(List<WriteOperation> batch)
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var operation in batch)
            {
                Execute(transaction, "SAVEPOINT w");
                try
                {
                    operation.Run(transaction);
                    Execute(transaction, "RELEASE w");
                }
                catch (Exception ex)
                {
                    operation.Fail(ex);
                    if (!TryRollBackToSavepoint(transaction))
                    {
                        // The transaction is gone: fail the whole batch with the cause.
                        throw;
                    }
                }
            }
            transaction.Commit();
        }
        catch (Exception ex)
        {
            SqliteLog.BatchFailed(_logger, batch.Count, ex);
            foreach (var operation in batch)
            {
                operation.Fail(ex);
            }
        }
    }

    /// <summary>
    /// Completes the batch's tasks, off the writer's thread so that the next group's commit does not wait for what
    /// callers do next: ordinary writes each hop to the thread pool by themselves, the publishing ones all together
    /// in one work item (see <see cref="EnqueuePublishingAsync"/>).
    /// </summary>
    private static void Settle(List<WriteOperation> batch)
    {
        var publishing = 0;
        foreach (var operation in batch)
        {
            if (operation.InGroupPass)
            {
                publishing++;
            }
            else
            {
                operation.Settle();
            }
        }
        if (publishing > 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(new GroupPass(batch), preferLocal: false);
        }
    }

    private bool TryRollBackToSavepoint(SqliteTransaction transaction)
    {
        try
        {
            Execute(transaction, "ROLLBACK TO w");
            Execute(transaction, "RELEASE w");
            return true;
        }
        // Microsoft.Data.Sqlite throws InvalidOperationException once it has seen SQLite roll back on its own.
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return false;
        }
    }

    // The transaction is the connection's own: a statement run through SQLite's API takes part in it.
    private void Execute(SqliteTransaction transaction, string sql) => Statements.Raw(sql).ExecuteNonQuery();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        Statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The publishing writes of one committed group, completed in queue order on one thread-pool thread.</summary>
    private sealed class GroupPass(List<WriteOperation> batch) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            foreach (var operation in batch)
            {
                if (operation.InGroupPass)
                {
                    operation.Settle();
                }
            }
        }
    }

    private abstract class WriteOperation(bool inGroupPass)
    {
        public bool InGroupPass { get; } = inGroupPass;

        public abstract void Run(SqliteTransaction transaction);

        /// <summary>Records a failure; the first one wins, so a write failed alone keeps its own cause.</summary>
        public abstract void Fail(Exception exception);

        /// <summary>Completes the task with the result, or with the recorded failure.</summary>
        public abstract void Settle();
    }

    private sealed class WriteOperation<T>(Func<SqliteTransaction, T> work, bool inGroupPass) : WriteOperation(inGroupPass)
    {
        // A publishing write's continuation runs inline where it is settled, which is always the group's pass,
        // never the writer's thread (see EnqueuePublishingAsync).
        private readonly TaskCompletionSource<T> _completion =
            new(inGroupPass ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _completion.Task;

        public override void Run(SqliteTransaction transaction) => _result = work(transaction);

        public override void Fail(Exception exception) => _failure ??= exception;

        public override void Settle()
        {
            if (_failure is { } failure)
            {
                _completion.TrySetException(failure);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }
    }
}
