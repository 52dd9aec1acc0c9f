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

    protected override async Task<long> InsertVersion1UserAsync(string database, string username, string displayName, string role, string passwordHash, DateTime createdAt)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at) VALUES ($u, $n, $d, $r, $h, $t) RETURNING id";
        command.Parameters.AddWithValue("$u", username);
        command.Parameters.AddWithValue("$n", username.ToUpperInvariant());
        command.Parameters.AddWithValue("$d", displayName);
        command.Parameters.AddWithValue("$r", role);
        command.Parameters.AddWithValue("$h", passwordHash);
        command.Parameters.AddWithValue("$t", new DateTimeOffset(createdAt).ToUnixTimeMilliseconds());
        return (long)(await command.ExecuteScalarAsync())!;
    }

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
