using System.Text.RegularExpressions;
using Npgsql;
using Parley.Server.Storage;
using Parley.Server.Storage.Postgres;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The list and read-state queries read index ranges on PostgreSQL too. The test database is tiny, where a sequential
/// scan is always cheapest, so the plans are taken with <c>enable_seqscan = off</c>: a table the planner still scans
/// then has no index that serves the query.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class PostgresQueryPlanTests(PostgresServer server, ITestOutputHelper output)
{
    public static TheoryData<string> Queries => QueryPlanCases.All();

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task QueryReadsIndexRangesOnly(string query)
    {
        var (sql, parameters) = QueryPlanCases.Get(query);
        var plan = await PlanOfAsync(sql, parameters);

        Assert.DoesNotContain(plan, step => SeqScan().IsMatch(step));
        Assert.Contains(plan, step => step.Contains("Index", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheResyncReadsTheLastSeqsOfManyChannelsByPrimaryKey()
    {
        var plan = await PlanOfAsync(PostgresChatStore.LastSeqsOfChannels, [new long[] { 7, 8, 9 }]);

        Assert.DoesNotContain(plan, step => SeqScan().IsMatch(step));
        Assert.Contains(plan, step => step.Contains("channels_pkey", StringComparison.Ordinal));
    }

    /// <summary>
    /// With real statistics and sequential scans allowed: in a channel that holds most of the table's messages, read
    /// halfway (the data set's big channel), the statistics say any stretch of the table is full of the channel's
    /// messages; the count must still walk the index from the cursor, not scan the read half of the table first.
    /// </summary>
    [Fact]
    public async Task CountUnreadWalksTheIndexFromTheCursorInAChannelHoldingMostMessages()
    {
        var database = await server.CreateDatabaseAsync("skewed_unread");
        await using (var store = new PostgresChatStore(database))
        {
            await store.MigrateAsync(CancellationToken.None);
        }
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var fill = new NpgsqlCommand(
                """
                INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at)
                    VALUES ('owner', 'OWNER', 'owner', 'student', 'x', now()), ('sender', 'SENDER', 'sender', 'student', 'x', now());
                INSERT INTO workspaces (name, owner_id, created_at) VALUES ('w', 1, now());
                INSERT INTO channels (workspace_id, name, type, created_at, activity_at) VALUES (1, 'big', 'text', now(), now()), (1, 'small', 'text', now(), now());
                INSERT INTO messages (channel_id, seq, author_id, content, message_type, created_at)
                    SELECT 1, s, 2, 'a line of chat', 'text', now() FROM generate_series(1, 40000) s;
                INSERT INTO messages (channel_id, seq, author_id, content, message_type, created_at)
                    SELECT 2, s, 2, 'a line of chat', 'text', now() FROM generate_series(1, 100) s;
                INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at) VALUES (1, 1, 20000, now());
                ANALYZE;
                """, connection);
            await fill.ExecuteNonQueryAsync();
        }

        var plan = await PlanOfAsync(database, SharedSql.CountUnread, [1L, 1L, 1000L], seqScans: true);

        Assert.DoesNotContain(plan, step => step.Contains("Seq Scan on messages", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("ux_messages_channel_seq", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanOfAsync(string sql, object[] parameters)
    {
        var database = await server.GetOrCreateDatabaseAsync(nameof(PostgresQueryPlanTests));
        await using (var store = new PostgresChatStore(database))
        {
            await store.MigrateAsync(CancellationToken.None);
        }
        return await PlanOfAsync(database, sql, parameters, seqScans: false);
    }

    private async Task<List<string>> PlanOfAsync(string database, string sql, object[] parameters, bool seqScans)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        if (!seqScans)
        {
            await using var off = new NpgsqlCommand("SET enable_seqscan = off", connection);
            await off.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, plan));
        return plan;
    }

    [GeneratedRegex(@"Seq Scan on (users|workspaces|workspace_members|channels|messages|read_cursors|pins)\b")]
    private static partial Regex SeqScan();
}
