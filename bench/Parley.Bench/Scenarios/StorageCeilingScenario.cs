using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Parley.Bench.Scenarios;

/// <summary>
/// What SQLite itself allows on this machine: a single-threaded loop in the generator committing Parley's
/// message rows (the same two statements Parley's writer runs per message: the channel's <c>last_seq</c>
/// bump and the insert) into a copy of Parley's own seeded database, with the pragmas Parley uses (WAL,
/// <c>synchronous=FULL</c>), 100 rows per transaction, round robin over the fixture's channels. No sockets,
/// no JSON, no publishing: Parley's persisted-messages figure is shown as a ratio to it.
/// </summary>
internal sealed class StorageCeilingScenario : IScenario
{
    private const int RowsPerTransaction = 100;

    public string Name => "persistence";

    // Contender-independent: measured once per repeat, beside Parley.
    public bool Applies(ContenderKind kind) => kind == ContenderKind.Parley;

    public Task RunAsync(BenchContext context, ContenderKind kind)
    {
        var directory = Directory.CreateTempSubdirectory("parley-bench-ceiling-").FullName;
        try
        {
            context.CopyParleyDatabase(directory);
            var rate = Measure(Path.Combine(directory, "parley.db"), context.Options.WarmupSeconds, context.Options.MeasureSeconds);
            BenchContext.Log(FormattableString.Invariant($"    storage ceiling: {rate:#,0} rows/s"));
            context.Results.Add("store.ceiling", kind, rate);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        return Task.CompletedTask;
    }

    private static double Measure(string path, double warmupSeconds, double measureSeconds)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            pragma.ExecuteNonQuery();
        }
        var channels = ReadIds(connection, "SELECT id FROM channels ORDER BY id LIMIT 100");
        var author = ReadIds(connection, "SELECT id FROM users ORDER BY id LIMIT 1")[0];
        using var bump = connection.CreateCommand();
        bump.CommandText = "UPDATE channels SET last_seq = last_seq + 1 WHERE id = $c RETURNING last_seq";
        var bumpChannel = bump.Parameters.Add("$c", SqliteType.Integer);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO messages (channel_id, seq, author_id, content, message_type, file_url, client_msg_id, created_at) VALUES ($c, $s, $a, $b, 'text', NULL, $k, $t) RETURNING id";
        var insertChannel = insert.Parameters.Add("$c", SqliteType.Integer);
        var insertSeq = insert.Parameters.Add("$s", SqliteType.Integer);
        insert.Parameters.AddWithValue("$a", author);
        var insertContent = insert.Parameters.Add("$b", SqliteType.Text);
        var insertKey = insert.Parameters.Add("$k", SqliteType.Text);
        var insertTime = insert.Parameters.Add("$t", SqliteType.Integer);

        long rows = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(warmupSeconds);
        var measureUntil = measureFrom + TimeSpan.FromSeconds(measureSeconds);
        long rowsAtStart = 0;
        var measuring = false;
        while (clock.Elapsed < measureUntil)
        {
            if (!measuring && clock.Elapsed >= measureFrom)
            {
                measuring = true;
                rowsAtStart = rows;
                measureFrom = clock.Elapsed;
            }
            using var transaction = connection.BeginTransaction();
            bump.Transaction = transaction;
            insert.Transaction = transaction;
            for (var i = 0; i < RowsPerTransaction; i++, rows++)
            {
                var channel = channels[(int)(rows % channels.Length)];
                bumpChannel.Value = channel;
                insertChannel.Value = channel;
                insertSeq.Value = (long)bump.ExecuteScalar()!;
                // About the size of the generator's message body, with a client id as Parley's clients send one.
                insertContent.Value = FormattableString.Invariant($"{{\"id\":{rows},\"t\":{Stopwatch.GetTimestamp()}}}");
                insertKey.Value = Guid.NewGuid().ToString("N");
                insertTime.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                insert.ExecuteScalar();
            }
            transaction.Commit();
        }
        return (rows - rowsAtStart) / (clock.Elapsed - measureFrom).TotalSeconds;
    }

    private static long[] ReadIds(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }
        return [.. ids];
    }
}
