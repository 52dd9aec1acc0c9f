using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite database. SQLite allows one writer at a time, so instead of letting
/// callers contend for the lock, writes are queued and a loop commits whatever has queued up in one
/// transaction (group commit): one fsync for many messages. Each write runs inside its own savepoint,
/// so one failing write does not undo the others; a write's task completes only after the commit.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue =
        Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SqliteWriteQueue(SqliteConnection openConnection, int maxBatch, ILogger logger)
    {
        _logger = logger;
        _connection = openConnection;
        Statements = new SqliteStatementCache(openConnection);
        _maxBatch = Math.Max(1, maxBatch);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Prepared statements for the hot writes; only for use inside queued work.</summary>
    public SqliteStatementCache Statements { get; }

    public Task<T> EnqueueAsync<T>(Func<SqliteTransaction, T> work)
    {
        var operation = new WriteOperation<T>(work);
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue));
        }
        return operation.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }
            CommitBatch(batch);
        }
    }

    /// <summary>
    /// Commits the batch; every write of it completes, one way or the other. A write that throws is undone
    /// by its savepoint and fails alone. When SQLite rolls back the whole transaction instead (SQLITE_FULL,
    /// IOERR, NOMEM, BUSY: the savepoint is gone) or the commit fails, every write of the batch not yet failed
    /// fails with that exception: those that had run were rolled back with it, and those not yet run are
    /// not retried, since the cause (a full disk, an I/O error) would most likely fail them again and a
    /// retry could be late for a caller that already gave up. Nothing is acknowledged that is not committed.
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
            return;
        }
        foreach (var operation in batch)
        {
            operation.Complete();
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

    private void Execute(SqliteTransaction transaction, string sql) => Statements.Get(transaction, sql).ExecuteNonQuery();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        Statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private abstract class WriteOperation
    {
        public abstract void Run(SqliteTransaction transaction);
        public abstract void Complete();
        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<SqliteTransaction, T> work) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(SqliteTransaction transaction) => _result = work(transaction);

        // Both are first-wins: a write failed alone is not completed by its batch's commit.
        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
