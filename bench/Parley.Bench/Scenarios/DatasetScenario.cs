using Microsoft.Data.Sqlite;
using Parley.Bench.Dataset;
using Parley.Bench.Results;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Costs as the data grows (issue 16): a big database generated in Parley's own schema (<see cref="DatasetShape.Big"/>)
/// beside an empty one that holds only what the measured operations read (<see cref="DatasetShape.Empty"/>), both made
/// once per run from the same accounts. In every repeat, each database is copied afresh and Parley started on it, one
/// after the other: start-up time (process start to <c>/healthz/ready</c> 200) and memory after start-up; then the
/// operations of <see cref="DatasetOperations"/> on both servers, interleaved (<see cref="InterleavedMeasurement"/>).
/// SQLite only: the runner has no PostgreSQL contender.
/// </summary>
internal sealed class DatasetScenario : IScenario, IDisposable
{
    private static readonly ReadinessCheck Ready = new("/healthz/ready", TimeSpan.FromMilliseconds(10));
    private string? _root;
    private int _repeats;
    private (DatasetAccounts Accounts, GeneratedDatabase[] Databases)? _generated;

    public string Name => "dataset";

    public bool Applies(ContenderKind kind) => kind == ContenderKind.Parley;

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        _generated ??= await GenerateAsync(context);
        var (accounts, databases) = _generated.Value;
        context.Results.Add(DatasetFigure.ScaleKey, kind, context.Options.DatasetScale);
        var servers = new List<RunningContender>();
        var operations = new List<DatasetOperations>();
        try
        {
            // Started one after the other (start-up is timed alone; which goes first alternates from repeat to repeat, as
            // the first start may pay for what the second finds cached), then measured side by side, interleaved.
            if (_repeats++ % 2 == 1)
            {
                databases = [.. databases.Reverse()];
            }
            foreach (var (name, directory, landmarks) in databases)
            {
                var server = await StartAsync(context, kind, directory);
                servers.Add(server);
                await RecordStartupAsync(context, kind, name, server.Process);
                operations.Add(new DatasetOperations(server.Process, accounts, landmarks));
            }
            var samples = context.Options.DatasetSamples;
            foreach (var operation in DatasetOperations.Names)
            {
                var measured = await InterleavedMeasurement.MeasureAsync(operations, operation, Math.Max(10, samples / 10), samples);
                for (var k = 0; k < databases.Length; k++)
                {
                    Record(context, kind, databases[k].Name, operation, measured[k], operations[k].Answer(operation));
                }
            }
        }
        finally
        {
            foreach (var operation in operations)
            {
                operation.Dispose();
            }
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private async Task<(DatasetAccounts, GeneratedDatabase[])> GenerateAsync(BenchContext context)
    {
        // A failed attempt (the next repeat tries again) starts over in the same folder, which Dispose removes.
        _root ??= Directory.CreateTempSubdirectory("parley-bench-dataset-").FullName;
        var template = Path.Combine(_root, "template");
        if (Directory.Exists(template))
        {
            Directory.Delete(template, recursive: true);
        }
        Directory.CreateDirectory(template);
        var accounts = await DatasetAccounts.CreateAsync(context.Paths, context.Options.Pin, template);
        var databases = new List<GeneratedDatabase>();
        foreach (var shape in new[] { DatasetShape.Empty, DatasetShape.Big(context.Options.DatasetScale) })
        {
            var directory = Directory.CreateDirectory(Path.Combine(_root, shape.Name)).FullName;
            foreach (var stale in Directory.GetFiles(directory))
            {
                File.Delete(stale);
            }
            ParleyFixture.CopyDatabase(template, directory);
            var landmarks = await Task.Run(() => DatasetGenerator.Generate(Path.Combine(directory, ParleyFixture.DatabaseFile), accounts, shape));
            databases.Add(new GeneratedDatabase(shape.Name, directory, landmarks));
        }
        SqliteConnection.ClearAllPools();
        return (accounts, [.. databases]);
    }

    /// <summary>Parley on a fresh copy of a generated database, ready when <c>/healthz/ready</c> answers 200.</summary>
    private static async Task<RunningContender> StartAsync(BenchContext context, ContenderKind kind, string generated)
    {
        var directory = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            ParleyFixture.CopyDatabase(generated, directory);
            return new RunningContender(
                await ContenderProcess.StartAsync(kind, context.Paths, context.Options.Pin, directory, null, context.Options.ServerEnvironment, Ready), directory);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private static async Task RecordStartupAsync(BenchContext context, ContenderKind kind, string database, ContenderProcess process)
    {
        var memory = await process.ProbeAsync();
        context.Results.Add(Key(database, "startup"), kind, process.ReadyAfter.TotalMilliseconds);
        context.Results.Add(Key(database, "rss"), kind, memory.RssBytes / 1048576.0);
        context.Results.Add(Key(database, "heap"), kind, memory.HeapBytes / 1048576.0);
        BenchContext.Log(FormattableString.Invariant(
            $"    {database}: ready after {process.ReadyAfter.TotalMilliseconds:#,0} ms, RSS {memory.RssBytes / 1048576.0:0.0} MB, heap {memory.HeapBytes / 1048576.0:0.0} MB"));
    }

    private static void Record(BenchContext context, ContenderKind kind, string database, string operation, MeasuredOperation measured, string answer)
    {
        var usage = measured.Usage;
        // One wording for every operation, so that the table's notes say it once; the amounts are their own figure.
        var note = usage.Contended ? FormattableString.Invariant($"machine contended: other processes used more than {Usage.ContendedForeignCpu:0.00} of a core on the benchmark's cores") : null;
        context.Results.Add(Key(database, DatasetFigure.ForeignStem), kind, usage.ForeignCpu);
        var (p50, p99) = (measured.Samples.Percentile(0.50), measured.Samples.Percentile(0.99));
        context.Results.Add(Key(database, operation + ".p50"), kind, p50, !usage.Contended, note);
        context.Results.Add(Key(database, operation + ".p99"), kind, p99, !usage.Contended, note);
        BenchContext.Log(FormattableString.Invariant(
            $"    {database} {operation}: p50 {p50:0.00} ms, p99 {p99:0.00} ms over {measured.Samples.Count} (answer: {answer}); {usage.Describe()}"));
    }

    private static string Key(string database, string stem) => $"dataset.{database}.{stem}";

    public void Dispose()
    {
        if (_root is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_root, recursive: true);
        }
    }
}
