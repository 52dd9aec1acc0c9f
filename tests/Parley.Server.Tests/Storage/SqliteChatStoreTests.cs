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

    [Fact]
    public async Task AppendsStartedPastAFullWriteQueueWaitForRoomAndCommitInCallOrder()
    {
        var (ana, channel) = await ChannelAsync();
        // A second writer on the same file, whose queue holds two writes: most of these appends wait for room.
        await using var small = new SqliteChatStore($"Data Source={await SharedDatabaseAsync()}",
            Options.Create(new StorageOptions { SqliteSynchronous = "NORMAL", MaxQueuedWrites = 2, MaxWriteBatch = 2 }));
        await small.MigrateAsync(CancellationToken.None);

        // Started one after the other without waiting, as a socket's reader does: each must get the next seq.
        var appends = Enumerable.Range(1, 200)
            .Select(i => small.AppendMessageAsync(Message(channel, ana, $"m{i}", clientMsgId: i == 100 ? "k-50" : $"k-{i}"), CancellationToken.None))
            .ToList();
        var results = await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(30));

        // The 100th repeats the 50th's clientMsgId: the original comes back and burns no seq.
        Assert.False(results[99].Created);
        Assert.Equal(results[49].Message, results[99].Message);
        var created = results.Where(r => r.Created).Select(r => r.Message).ToList();
        Assert.Equal(Enumerable.Range(1, 199).Select(i => (long)i), created.Select(m => m.Seq));
        Assert.Equal([.. Enumerable.Range(1, 200).Where(i => i != 100).Select(i => $"m{i}")], created.Select(m => m.Content));
        Assert.Equal(199, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))?.LastSeq);
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
