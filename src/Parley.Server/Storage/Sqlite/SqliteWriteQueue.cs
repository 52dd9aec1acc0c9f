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
    private readonly Task _loop;

    public SqliteWriteQueue(SqliteConnection openConnection, int maxBatch)
    {
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

    private void CommitBatch(List<WriteOperation> batch)
    {
        var succeeded = new List<WriteOperation>(batch.Count);
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
                    succeeded.Add(operation);
                }
                catch (Exception ex)
                {
                    Execute(transaction, "ROLLBACK TO w");
                    Execute(transaction, "RELEASE w");
                    operation.Fail(ex);
                }
            }
            transaction.Commit();
        }
        catch (Exception ex)
        {
            foreach (var operation in succeeded)
            {
                operation.Fail(ex);
            }
            return;
        }
        foreach (var operation in succeeded)
        {
            operation.Complete();
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

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
