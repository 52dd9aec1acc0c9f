using System.Text.RegularExpressions;
using Npgsql;
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

    private async Task<List<string>> PlanOfAsync(string sql, object[] parameters)
    {
        var database = await server.GetOrCreateDatabaseAsync(nameof(PostgresQueryPlanTests));
        await using (var store = new PostgresChatStore(database))
        {
            await store.MigrateAsync(CancellationToken.None);
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
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
