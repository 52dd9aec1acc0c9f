using Parley.Bench.Scenarios;

namespace Parley.Bench.Dataset;

/// <summary>
/// The data set in PostgreSQL: databases of one throwaway <see cref="PostgresCluster"/>, started with the first
/// template and stopped at disposal. The template is a database the server migrated; each generated database is a
/// copy of it (<c>gen_NAME</c>), and each server gets a copy of that (<c>run_NAME</c>), dropped after its repeat.
/// </summary>
internal sealed class PostgresDatasetStore : IDatasetStore
{
    private const string Template = "parley_template";
    private readonly List<string> _copies = [];
    private PostgresCluster? _cluster;

    public const string Prefix = "dataset-postgres";
    public const string StoreLabel = "PostgreSQL";

    public string Label => StoreLabel;

    public string KeyPrefix => Prefix;

    private PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The template is made first.");

    public async Task<DatasetAccounts> CreateTemplateAsync(BenchContext context)
    {
        _cluster ??= await PostgresCluster.StartAsync(context.Options.Pin);
        await Cluster.DropDatabaseAsync(Template);
        await Cluster.CreateDatabaseAsync(Template);
        var directory = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            return await DatasetAccounts.CreateAsync(context.Paths, context.Options.Pin, directory, ServerArguments(Template));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public async Task<DatasetLandmarks> GenerateAsync(DatasetShape shape, DatasetAccounts accounts)
    {
        var database = "gen_" + shape.Name;
        await Cluster.DropDatabaseAsync(database);
        await Cluster.CreateDatabaseAsync(database, Template);
        return await Task.Run(() => PostgresDatasetWriter.Generate(Cluster.ConnectionString(database), accounts, shape));
    }

    public async Task<IReadOnlyList<string>> CopyForServerAsync(string database, string directory)
    {
        var copy = "run_" + database;
        await Cluster.DropDatabaseAsync(copy);
        await Cluster.CreateDatabaseAsync(copy, "gen_" + database);
        _copies.Add(copy);
        return ServerArguments(copy);
    }

    public async Task EndRepeatAsync()
    {
        foreach (var copy in _copies)
        {
            await Cluster.DropDatabaseAsync(copy);
        }
        _copies.Clear();
    }

    public double? ExternalCpuMilliseconds() => _cluster?.CpuMilliseconds();

    /// <summary>After ContenderProcess's own arguments, so these win (the last value of a key does).</summary>
    private string[] ServerArguments(string database) => ["--Storage:Provider=postgres", "--ConnectionStrings:Chat=" + Cluster.ConnectionString(database)];

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
