using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Parley.Bench.Dataset;

/// <summary>
/// Writes a <see cref="DatasetGenerator"/> plan straight into a Parley PostgreSQL database that the server has already
/// migrated and that holds the <see cref="DatasetAccounts"/>: one binary COPY per table in one transaction (COPY takes
/// the explicit ids even for identity columns), with triggers, foreign-key checks among them, off for the session
/// (<c>session_replication_role = replica</c>, as a restore does: the rows are consistent by construction). Then the
/// identity sequences are moved past the generated ids, and <c>VACUUM ANALYZE</c> gives the planner the statistics and
/// the visibility map a database in service has from autovacuum.
/// </summary>
internal static class PostgresDatasetWriter
{
    private static readonly string[] IdentityTables = ["users", "workspaces", "channels", "messages"];

    public static DatasetLandmarks Generate(string connectionString, DatasetAccounts accounts, DatasetShape shape)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString);
        connection.Open();
        Execute(connection, "SET session_replication_role = replica");
        var first = new long[DatasetStart.Queries.Length];
        for (var i = 0; i < first.Length; i++)
        {
            first[i] = (long)Scalar(connection, DatasetStart.Queries[i]);
        }
        var ids = new DatasetStart(first[0], first[1], first[2], first[3], (string)Scalar(connection, DatasetStart.PasswordHashQuery + accounts.Owner.Id));
        var plan = DatasetGenerator.Plan(accounts, shape, ids);
        long rows = 0;
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var table in plan.Tables)
            {
                using var import = connection.BeginBinaryImport($"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)");
                foreach (var row in table.Rows)
                {
                    import.StartRow();
                    for (var i = 0; i < row.Length; i++)
                    {
                        Write(import, table.Columns[i].Kind, row[i]);
                    }
                    rows++;
                }
                import.Complete();
            }
            using (var update = new NpgsqlCommand(DatasetPlan.UpdateChannelSql, connection, transaction))
            {
                update.Parameters.Add(new NpgsqlParameter { Value = plan.ChannelId });
                update.Parameters.Add(new NpgsqlParameter { Value = plan.LastSeq });
                update.Parameters.Add(new NpgsqlParameter { Value = Time(plan.ActivityAt), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                update.Parameters.Add(new NpgsqlParameter { Value = plan.LastMessageId });
                update.ExecuteNonQuery();
            }
            foreach (var table in IdentityTables)
            {
                Execute(connection, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
            }
            transaction.Commit();
        }
        var copied = clock.Elapsed;
        Execute(connection, "VACUUM ANALYZE");
        var size = (long)Scalar(connection, "SELECT pg_database_size(current_database())");
        Scenarios.BenchContext.Log(FormattableString.Invariant(
            $"  generated {shape.Name} (PostgreSQL): {rows:#,0} rows in {copied.TotalSeconds:0.0} s, VACUUM ANALYZE {(clock.Elapsed - copied).TotalSeconds:0.0} s, {size / 1048576.0:#,0} MB ({shape.Describe()})"));
        return plan.Landmarks;
    }

    private static void Write(NpgsqlBinaryImporter import, DatasetColumnKind kind, object? value)
    {
        switch (value, kind)
        {
            case (null, _):
                import.WriteNull();
                break;
            case (long number, DatasetColumnKind.Integer):
                import.Write(number, NpgsqlDbType.Bigint);
                break;
            case (string text, DatasetColumnKind.Text):
                import.Write(text, NpgsqlDbType.Text);
                break;
            case (long milliseconds, DatasetColumnKind.Time):
                import.Write(Time(milliseconds), NpgsqlDbType.TimestampTz);
                break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} is not a {kind} column's value.", nameof(value));
        }
    }

    private static DateTime Time(long unixMilliseconds) => DateTime.UnixEpoch.AddMilliseconds(unixMilliseconds);

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static object Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar() ?? throw new InvalidOperationException($"No answer to {sql}");
    }
}
