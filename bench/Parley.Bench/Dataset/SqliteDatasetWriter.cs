using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Parley.Bench.Dataset;

/// <summary>
/// Writes a <see cref="DatasetGenerator"/> plan straight into a Parley SQLite database that the server has already
/// migrated and that holds the <see cref="DatasetAccounts"/>: one prepared INSERT per table, 50,000 rows per
/// transaction, foreign keys and fsync off while generating (a failed run is thrown away); the file is checkpointed
/// at the end.
/// </summary>
internal static class SqliteDatasetWriter
{
    private const int RowsPerTransaction = 50_000;

    public static DatasetLandmarks Generate(string databasePath, DatasetAccounts accounts, DatasetShape shape)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;");
        var first = DatasetStart.Queries.Select(sql => (long)Scalar(connection, sql)).ToArray();
        var ids = new DatasetStart(first[0], first[1], first[2], first[3], (string)Scalar(connection, DatasetStart.PasswordHashQuery + accounts.Owner.Id));
        var plan = DatasetGenerator.Plan(accounts, shape, ids);
        long rows = 0;
        var transaction = connection.BeginTransaction();
        try
        {
            foreach (var table in plan.Tables)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$" + (i + 1)))})";
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    insert.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
                }
                insert.Transaction = transaction;
                insert.Prepare();
                foreach (var row in table.Rows)
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        insert.Parameters[i].Value = row[i] ?? DBNull.Value;
                    }
                    insert.ExecuteNonQuery();
                    if (++rows % RowsPerTransaction == 0)
                    {
                        transaction.Commit();
                        transaction.Dispose();
                        transaction = connection.BeginTransaction();
                        insert.Transaction = transaction;
                    }
                }
            }
            using (var update = connection.CreateCommand())
            {
                update.CommandText = DatasetPlan.UpdateChannelSql;
                update.Transaction = transaction;
                update.Parameters.AddWithValue("$1", plan.ChannelId);
                update.Parameters.AddWithValue("$2", plan.LastSeq);
                update.Parameters.AddWithValue("$3", plan.ActivityAt);
                update.Parameters.AddWithValue("$4", plan.LastMessageId);
                update.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        finally
        {
            transaction.Dispose();
        }
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Scenarios.BenchContext.Log(FormattableString.Invariant(
            $"  generated {shape.Name} (SQLite): {rows:#,0} rows in {clock.Elapsed.TotalSeconds:0.0} s, {new FileInfo(databasePath).Length / 1048576.0:#,0} MB ({shape.Describe()})"));
        return plan.Landmarks;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() ?? throw new InvalidOperationException($"No answer to {sql}");
    }
}
