using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Parley.Server.Storage.Postgres;

/// <summary>
/// The store for production and for several server processes sharing one database: PostgreSQL through Npgsql.
/// Every call runs on a pooled connection, and writes that must be atomic run in one transaction, so the store
/// keeps its contract whatever the number of nodes. A channel's <c>seq</c> is taken from its row
/// (<c>UPDATE channels … RETURNING last_seq</c>) inside the message insert's transaction: the row lock serializes
/// the writers of one channel on every node until they commit or roll back, so seqs have no gap and no repeat,
/// while writers of different channels do not wait for each other.
/// </summary>
public sealed partial class PostgresChatStore : IChatStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly PostgresAppendQueue _appends;

    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    /// <param name="logger">Where migrations and failed append groups are logged; none when null.</param>
    /// <param name="maxAppendBatch">Most message appends committed together (<c>Storage:MaxWriteBatch</c>).</param>
    /// <param name="maxQueuedAppends">Most message appends waiting to be sent (<c>Storage:MaxQueuedWrites</c>).</param>
    public PostgresChatStore(string connectionString, ILogger<PostgresChatStore>? logger = null, int maxAppendBatch = 256, int maxQueuedAppends = 4096)
    {
        _dataSource = NpgsqlDataSource.Create(WithStoreSettings(connectionString));
        _logger = logger ?? NullLogger<PostgresChatStore>.Instance;
        _appends = new PostgresAppendQueue(_dataSource, maxAppendBatch, maxQueuedAppends, _logger);
    }

    /// <summary>Most statements Npgsql keeps prepared per connection unless the connection string says otherwise.</summary>
    internal const int DefaultMaxAutoPrepare = 128;

    /// <summary>The connection string the store's sessions use: the operator's, with the settings the store relies on.</summary>
    internal static string WithStoreSettings(string connectionString)
    {
        // The store's concurrency reasoning (a writer that waited on a row lock sees what the other committed; ON
        // CONFLICT waits and skips) is READ COMMITTED's. Under a stricter database default those same races would
        // fail with serialization errors, so every session of the store asks for READ COMMITTED itself.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c default_transaction_isolation=read\\ committed".Trim();
        // Every statement the store runs is one of a few fixed texts; unprepared, PostgreSQL parses and plans each
        // execution afresh, which for the append (one statement of five parts) cost more than the insert itself and
        // capped persistence at a third of what it reaches prepared (docs/benchmarks.md). An operator who sets the
        // key (0 behind a pooler in transaction mode, which cannot keep a session's prepared statements) is obeyed.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }
        return builder.ConnectionString;
    }

    /// <summary>The store's connections, for tests that look at what a session of the store holds.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Where a connection string points, for logs: host, port and database, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres {builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>True: this node's appends go through one queue, in call order (see <see cref="PostgresAppendQueue"/>).</summary>
    public bool AppendsInCallOrder => true;

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(PostgresSchema.Migrations.Count, cancellationToken);

    /// <summary>
    /// Applies pending migrations up to <paramref name="targetVersion"/>. Nodes starting together take turns under a
    /// PostgreSQL advisory lock, and each reads the applied version only once it holds the lock, so every migration
    /// runs exactly once. Tests pass an earlier version to build a database to upgrade.
    /// </summary>
    internal async Task MigrateAsync(int targetVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // A session-level lock rather than a transaction-level one, so that each migration commits on its own while
        // other nodes keep waiting. It is released below, or by the server if this connection dies.
        var locked = await connection.Command("SELECT pg_try_advisory_lock($1)", PostgresSchema.MigrationLockKey).ScalarAsync<bool>(cancellationToken);
        if (!locked)
        {
            PostgresLog.WaitingForMigrationLock(_logger);
            await connection.Command("SELECT pg_advisory_lock($1)", PostgresSchema.MigrationLockKey).ExecuteAsync(cancellationToken);
        }
        try
        {
            await connection.Command(PostgresSchema.CreateVersionTable).ExecuteAsync(cancellationToken);
            var applied = await connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version").ScalarAsync<int>(cancellationToken);
            var last = Math.Min(targetVersion, PostgresSchema.Migrations.Count);
            for (var version = applied + 1; version <= last; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.Command(PostgresSchema.Migrations[version - 1]).ExecuteAsync(cancellationToken);
                await connection.Command("INSERT INTO schema_version (version) VALUES ($1)", version).ExecuteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                PostgresLog.MigrationApplied(_logger, version);
            }
        }
        finally
        {
            // Not cancellable: the lock must be given back even when migrating was cancelled.
            await connection.Command("SELECT pg_advisory_unlock($1)", PostgresSchema.MigrationLockKey).ExecuteAsync(CancellationToken.None);
        }
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        _dataSource.Command("SELECT 1 FROM users LIMIT 1").ScalarAsync<int>(cancellationToken);

    /// <summary>
    /// The data source for a write, once the token has been checked. Writes honour their token only before they start
    /// (see <see cref="IChatStore"/>): once sent, a write runs to its commit and reports its outcome, so a caller never
    /// loses track of a change that happened. Reads pass their token on to Npgsql, which cancels the query on the server.
    /// </summary>
    private NpgsqlDataSource Writing(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _dataSource;
    }

    /// <summary>The schema version of the database (the number of applied migrations; 0 when empty).</summary>
    public async Task<int> SchemaVersionAsync()
    {
        var exists = await _dataSource.Command("SELECT to_regclass('schema_version') IS NOT NULL").ScalarAsync<bool>();
        return exists ? await _dataSource.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version").ScalarAsync<int>() : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _appends.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
