using Microsoft.Data.Sqlite;
using Parley.Bench.Scenarios;

namespace Parley.Bench.Dataset;

/// <summary>
/// The data set in SQLite files (Parley's default, synchronous FULL): the template and each generated database is a
/// folder of a temp root, and each server gets a copy of the file in its own working folder.
/// </summary>
internal sealed class SqliteDatasetStore : IDatasetStore
{
    private readonly string _root = Directory.CreateTempSubdirectory("parley-bench-dataset-").FullName;

    public const string Prefix = "dataset";
    public const string StoreLabel = "SQLite synchronous FULL";

    public string Label => StoreLabel;

    public string KeyPrefix => Prefix;

    private string Template => Path.Combine(_root, "template");

    public async Task<DatasetAccounts> CreateTemplateAsync(BenchContext context)
    {
        Fresh(Template);
        return await DatasetAccounts.CreateAsync(context.Paths, context.Options.Pin, Template, []);
    }

    public async Task<DatasetLandmarks> GenerateAsync(DatasetShape shape, DatasetAccounts accounts)
    {
        var directory = Fresh(Path.Combine(_root, shape.Name));
        ParleyFixture.CopyDatabase(Template, directory);
        var landmarks = await Task.Run(() => SqliteDatasetWriter.Generate(Path.Combine(directory, ParleyFixture.DatabaseFile), accounts, shape));
        SqliteConnection.ClearAllPools();
        return landmarks;
    }

    public Task<IReadOnlyList<string>> CopyForServerAsync(string database, string directory)
    {
        // ContenderProcess points Parley at the file in its working folder.
        ParleyFixture.CopyDatabase(Path.Combine(_root, database), directory);
        return Task.FromResult<IReadOnlyList<string>>([]);
    }

    public Task EndRepeatAsync() => Task.CompletedTask;

    public double? ExternalCpuMilliseconds() => null;

    private static string Fresh(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        return Directory.CreateDirectory(directory).FullName;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
