using Parley.Bench.Scenarios;

namespace Parley.Bench.Dataset;

/// <summary>
/// Where the data set's databases live (<see cref="SqliteDatasetStore"/>, <see cref="PostgresDatasetStore"/>): a
/// template made by the real server (its migrations, the bench's accounts over HTTP), the generated databases made
/// from it once per run, and a fresh copy of one of them for each server started on it.
/// </summary>
internal interface IDatasetStore : IAsyncDisposable
{
    /// <summary>What Parley stores in, for the table's heading.</summary>
    string Label { get; }

    /// <summary>The prefix of the figures' keys: <c>PREFIX.empty.STEM</c>, <c>PREFIX.big.STEM</c>.</summary>
    string KeyPrefix { get; }

    /// <summary>Makes the template (the server migrates it and the accounts are created over HTTP).</summary>
    Task<DatasetAccounts> CreateTemplateAsync(BenchContext context);

    /// <summary>Makes the database of <paramref name="shape"/> from the template (again, if an earlier attempt failed) and fills it.</summary>
    Task<DatasetLandmarks> GenerateAsync(DatasetShape shape, DatasetAccounts accounts);

    /// <summary>
    /// A fresh copy of the generated database <paramref name="database"/> for one server whose working folder is
    /// <paramref name="directory"/>; returns the server's arguments that point it there.
    /// </summary>
    Task<IReadOnlyList<string>> CopyForServerAsync(string database, string directory);

    /// <summary>Removes the copies made for this repeat's servers, which have stopped.</summary>
    Task EndRepeatAsync();

    /// <summary>CPU milliseconds used so far by a database server outside Parley's process, if any (it serves both databases).</summary>
    double? ExternalCpuMilliseconds();
}
