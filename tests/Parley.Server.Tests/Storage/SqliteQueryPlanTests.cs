using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Parley.Server.Storage;
using Parley.Server.Storage.Sqlite;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The list and read-state queries read index ranges, never whole tables: SQLite's EXPLAIN QUERY PLAN of each one
/// names no full scan of a table (a SCAN of a subquery's rows, bounded by its LIMIT, is fine).
/// </summary>
public sealed partial class SqliteQueryPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-plan-").FullName;
    private SqliteChatStore _store = null!;

    private string Database => Path.Combine(_folder, "plan.db");

    public async Task InitializeAsync()
    {
        _store = new SqliteChatStore($"Data Source={Database}", Options.Create(new StorageOptions()));
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static TheoryData<string> Queries => QueryPlanCases.All();

    [Theory]
    [MemberData(nameof(Queries))]
    public void QueryReadsIndexRangesOnly(string query)
    {
        var (sql, parameters) = QueryPlanCases.Get(query);
        var plan = PlanOf(sql, parameters);

        Assert.NotEmpty(plan);
        Assert.DoesNotContain(plan, step => FullScan().IsMatch(step));
        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal));
    }

    [Fact]
    public void TheResyncReadsTheLastSeqsOfManyChannelsByPrimaryKey()
    {
        var plan = PlanOf(SqliteChatStore.LastSeqsOfChannels, ["[7,8,9]"]);

        // The ids' JSON array is scanned (it is the input); the channels are looked up by rowid, one each.
        Assert.Contains(plan, step => step.StartsWith("SEARCH channels USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN channels", StringComparison.Ordinal));
    }

    private List<string> PlanOf(string sql, object[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            // SQLite keeps times as Unix milliseconds.
            command.Parameters.AddWithValue($"${i + 1}", parameters[i] is DateTime time ? new DateTimeOffset(time).ToUnixTimeMilliseconds() : parameters[i]);
        }
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, plan));
        return plan;
    }

    /// <summary>
    /// A SCAN of a table (with or without an index: a whole index is no better), which the plan names by its alias.
    /// The only scans allowed are of the queries' own derived tables, whose rows their LIMITs bound.
    /// </summary>
    [GeneratedRegex(@"^SCAN (?!\(|low_side\b|high_side\b|c\b|unread\b|ranked\b)")]
    private static partial Regex FullScan();
}
