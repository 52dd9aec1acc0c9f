using Npgsql;
using Parley.Server.Storage;
using Parley.Server.Storage.Postgres;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The store specification on a real PostgreSQL server: one database for the class, four stores writing to it at
/// once where a test asks for several nodes (as four server processes would).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresChatStoreTests(PostgresServer server, ITestOutputHelper output) : ChatStoreSpecification(output)
{
    protected override int Nodes => 4;

    protected override int LatestSchemaVersion => PostgresSchema.Migrations.Count;

    protected override Task<string> SharedDatabaseAsync() => server.GetOrCreateDatabaseAsync(nameof(PostgresChatStoreTests));

    protected override Task<string> EmptyDatabaseAsync() => server.CreateDatabaseAsync("empty");

    protected override IChatStore CreateStore(string database) => new PostgresChatStore(database);

    protected override Task MigrateToAsync(IChatStore store, int version) => ((PostgresChatStore)store).MigrateAsync(version);

    protected override Task<int> SchemaVersionAsync(IChatStore store) => ((PostgresChatStore)store).SchemaVersionAsync();

    protected override async Task<long> LegacyScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override string TimeLiteral(DateTime time) =>
        $"'{time.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fff}Z'::timestamptz";

    [Fact]
    public async Task AnAppendTheServerRefusesFailsAloneAndTheRestOfItsGroupIsStoredInCallOrder()
    {
        var (ana, channel) = await ChannelAsync();
        // PostgreSQL text cannot hold NUL: the server refuses that one statement, which rolls back the group it was
        // sent in. Forty appends started at once go out in few groups, so the refused one shares a group with others.
        var appends = Enumerable.Range(0, 40).Select(i => Store.AppendMessageAsync(Message(channel, ana, i == 20 ? "nul\0" : $"m{i}"), CancellationToken.None)).ToList();

        await Assert.ThrowsAnyAsync<PostgresException>(() => appends[20]);
        var stored = await Task.WhenAll(appends.Where((_, i) => i != 20));
        Assert.All(stored, result => Assert.True(result.Created));
        Assert.Equal(Enumerable.Range(1, 39).Select(seq => (long)seq), stored.Select(result => result.Message.Seq));
        Assert.Equal(Enumerable.Range(0, 40).Where(i => i != 20).Select(i => $"m{i}"), stored.Select(result => result.Message.Content));
        Assert.Equal(39, (await Store.GetChannelAsync(channel.Id, CancellationToken.None))?.LastSeq);
    }

    [Theory]
    [InlineData("", 1L)]
    [InlineData(";Max Auto Prepare=0", 0L)]
    public async Task TheAppendIsPreparedOnTheSessionUnlessTheConnectionStringSaysOtherwise(string setting, long expected)
    {
        var (ana, channel) = await ChannelAsync();
        // One pooled session, so that the session the appends ran on is the one asked afterwards.
        await using var store = new PostgresChatStore(await SharedDatabaseAsync() + ";Maximum Pool Size=1" + setting);
        for (var i = 0; i < 10; i++)
        {
            await store.AppendMessageAsync(Message(channel, ana, $"m{i}"), CancellationToken.None);
        }

        await using var connection = await store.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH next AS%'", connection);
        Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task NodesStartingTogetherApplyEachMigrationOnce()
    {
        var database = await server.CreateDatabaseAsync("race");
        var nodes = Enumerable.Range(0, 6).Select(_ => CreateStore(database)).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(node => node.MigrateAsync(CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(1));

            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT version FROM schema_version ORDER BY version", connection);
            var versions = new List<int>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    versions.Add(reader.GetInt32(0));
                }
            }
            Assert.Equal(Enumerable.Range(1, LatestSchemaVersion), versions);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await ((IAsyncDisposable)node).DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task RacesStillResolveWhenTheDatabaseDefaultsToSerializable()
    {
        // An operator may make SERIALIZABLE the database default. The store sets READ COMMITTED on its own sessions,
        // so racing writers still queue and resolve (next seq, one DM channel, one receipt) instead of failing with
        // serialization errors.
        var database = await server.CreateDatabaseAsync("serializable");
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync();
            await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{admin.Database}\" SET default_transaction_isolation = 'serializable'", admin);
            await alter.ExecuteNonQueryAsync();
            // The setting applies to sessions opened from now on: none of the stores may reuse this one.
            NpgsqlConnection.ClearPool(admin);
        }
        var nodes = new List<IChatStore>();
        for (var i = 0; i < Nodes; i++)
        {
            nodes.Add(await OpenAsync(database));
        }
        var now = DateTime.UtcNow;
        var ana = await nodes[0].CreateUserAsync(UniqueName("ana"), "Ana", "student", "hash", now, CancellationToken.None);
        var ben = await nodes[0].CreateUserAsync(UniqueName("ben"), "Ben", "student", "hash", now, CancellationToken.None);
        var workspace = await nodes[0].CreateWorkspaceAsync("w", null, ana.Id, now, CancellationToken.None);
        var channel = await nodes[0].CreateChannelAsync(workspace.Id, "general", ChannelTypes.Text, null, now, CancellationToken.None);
        var first = await nodes[0].AppendMessageAsync(new NewMessage(channel.Id, ana.Id, ana.Username, "first", "text", null, null, now), CancellationToken.None);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appends = Enumerable.Range(0, 8).Select(async w =>
        {
            await gate.Task;
            for (var i = 0; i < 20; i++)
            {
                await nodes[w % nodes.Count].AppendMessageAsync(
                    new NewMessage(channel.Id, ana.Id, ana.Username, $"{w}/{i}", "text", null, $"{w}-{i}", now), CancellationToken.None);
            }
        }).ToList();
        var dms = Enumerable.Range(0, 8).Select(async i =>
        {
            await gate.Task;
            return await nodes[i % nodes.Count].GetOrCreateDmChannelAsync(ana.Id, ben.Id, now, CancellationToken.None);
        }).ToList();
        var reads = Enumerable.Range(0, 8).Select(async i =>
        {
            await gate.Task;
            return await nodes[i % nodes.Count].MarkReadAsync(first.Message.Id, ben.Id, now, CancellationToken.None);
        }).ToList();
        gate.SetResult();
        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromMinutes(1));
        var dmResults = await Task.WhenAll(dms).WaitAsync(TimeSpan.FromMinutes(1));
        var readResults = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromMinutes(1));

        var stored = await nodes[0].ListMessagesAfterSeqAsync(channel.Id, 0, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 161).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Single(dmResults, r => r.Created);
        Assert.Single(dmResults.Select(r => r.Channel.Id).Distinct());
        Assert.Single(readResults, recorded => recorded);
    }
}
