using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Storage;

/// <summary>The store specification on SQLite: a fresh database file per test, one node (SQLite has one writer per file).</summary>
public sealed class SqliteChatStoreTests(ITestOutputHelper output) : ChatStoreSpecification(output)
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-store-").FullName;
    private int _databases;

    protected override int Nodes => 1;

    protected override int LatestSchemaVersion => SqliteSchema.Migrations.Count;

    protected override Task<string> SharedDatabaseAsync() => Task.FromResult(Path.Combine(_folder, "chat.db"));

    protected override Task<string> EmptyDatabaseAsync() =>
        Task.FromResult(Path.Combine(_folder, $"empty{Interlocked.Increment(ref _databases)}.db"));

    protected override IChatStore CreateStore(string database) =>
        new SqliteChatStore($"Data Source={database}", Options.Create(new StorageOptions { SqliteSynchronous = "NORMAL" }));

    protected override Task MigrateToAsync(IChatStore store, int version) => ((SqliteChatStore)store).MigrateAsync(version);

    protected override Task<int> SchemaVersionAsync(IChatStore store) => Task.FromResult((int)((SqliteChatStore)store).SchemaVersion());

    protected override Task<long> LegacyScalarAsync(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override string TimeLiteral(DateTime time) =>
        new DateTimeOffset(time).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
