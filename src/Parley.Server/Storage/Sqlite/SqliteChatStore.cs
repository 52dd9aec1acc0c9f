using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The default store: one SQLite file in WAL mode with foreign keys on. Reads use pooled connections and
/// run in parallel with the single writer (<see cref="SqliteWriteQueue"/>), which serializes every write, so
/// <c>seq</c> assignment needs no further locking.
/// </summary>
public sealed partial class SqliteChatStore : IChatStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly StorageOptions _options;
    private readonly ILogger _logger;
    private SqliteWriteQueue? _writer;

    public SqliteChatStore(string connectionString, IOptions<StorageOptions> options, ILogger<SqliteChatStore>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        };
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        _connectionString = builder.ToString();
        _options = options.Value;
    }

    private SqliteWriteQueue Writer => _writer ?? throw new InvalidOperationException("MigrateAsync must run before the store is used.");

    /// <summary>True: one writer loop takes appends in the order they were queued.</summary>
    public bool AppendsInCallOrder => true;

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(SqliteSchema.Migrations.Count, cancellationToken);

    /// <summary>
    /// Applies migrations up to <paramref name="targetVersion"/> only; tests use it to build a database of an
    /// earlier schema version and check that upgrading it keeps the data.
    /// </summary>
    internal async Task MigrateAsync(int targetVersion, CancellationToken cancellationToken = default)
    {
        if (_writer is not null)
        {
            return;
        }
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using (var pragma = connection.Command($"PRAGMA journal_mode=WAL; PRAGMA synchronous={SynchronousMode()};"))
        {
            pragma.ExecuteNonQuery();
        }
        long version;
        using (var read = connection.Command("PRAGMA user_version"))
        {
            version = (long)read.ExecuteScalar()!;
        }
        for (var index = (int)version; index < Math.Min(targetVersion, SqliteSchema.Migrations.Count); index++)
        {
            using var transaction = connection.BeginTransaction();
            using (var migrate = transaction.Command(SqliteSchema.Migrations[index]))
            {
                migrate.ExecuteNonQuery();
            }
            using (var bump = transaction.Command($"PRAGMA user_version = {index + 1}"))
            {
                bump.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        _writer = new SqliteWriteQueue(connection, _options.MaxWriteBatch, _options.MaxQueuedWrites, _logger);
    }

    /// <summary>
    /// Caps the database at its current size plus <paramref name="extraPages"/> pages (<c>PRAGMA
    /// max_page_count</c> on the writer), so that tests can make writes fail with SQLITE_FULL as on a full disk.
    /// </summary>
    internal Task<long> CapSizeAsync(int extraPages) =>
        Writer.EnqueueAsync(tx =>
        {
            using var count = tx.Command("PRAGMA page_count");
            using var cap = tx.Command($"PRAGMA max_page_count = {(long)count.ExecuteScalar()! + extraPages}");
            return (long)cap.ExecuteScalar()!;
        });

    /// <summary>The schema version of the open database (the number of applied migrations).</summary>
    public long SchemaVersion()
    {
        using var connection = OpenRead();
        using var read = connection.Command("PRAGMA user_version");
        return (long)read.ExecuteScalar()!;
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        ReadAsync(c =>
        {
            using var ping = c.Command("SELECT 1 FROM users LIMIT 1");
            return ping.ExecuteScalar();
        }, cancellationToken);

    private string SynchronousMode() =>
        _options.SqliteSynchronous.ToUpperInvariant() switch
        {
            "NORMAL" => "NORMAL",
            "OFF" => "OFF",
            _ => "FULL",
        };

    private SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    // Reads run synchronously on the caller's thread (SQLite answers from the page cache or the local disk), so the
    // token is honoured before the read starts; a read that has started is short and runs to its end.
    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        using var connection = OpenRead();
        return Task.FromResult(read(connection));
    }

    /// <summary>
    /// Queues a write on the single writer. Cancelled before the writer has started it, the write is skipped (it changed
    /// nothing) and the call ends with <see cref="OperationCanceledException"/>; once started, it runs to its commit and
    /// reports its outcome whatever the token says, so a caller never loses track of a write that happened.
    /// <paramref name="publishing"/>: a write whose caller publishes what it wrote (a message append), completed with
    /// its committed group in one pass (<see cref="SqliteWriteQueue.EnqueuePublishingAsync"/>).
    /// </summary>
    private Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, bool publishing = false)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        Func<SqliteTransaction, T> run = !cancellationToken.CanBeCanceled ? work : tx =>
        {
            // Thrown inside the write's savepoint: the writer rolls it back (nothing ran) and fails this write alone.
            cancellationToken.ThrowIfCancellationRequested();
            return work(tx);
        };
        return publishing ? Writer.EnqueuePublishingAsync(run) : Writer.EnqueueAsync(run);
    }

    private static List<T> ReadAll<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using var owned = command;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    private static T? ReadSingle<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
        where T : class
    {
        using var owned = command;
        using var reader = command.ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
    }
}
