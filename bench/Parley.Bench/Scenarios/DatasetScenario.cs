using Parley.Bench.Dataset;
using Parley.Bench.Results;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Costs as the data grows (issue 16): a big database generated in Parley's own schema (<see cref="DatasetShape.Big"/>)
/// beside an empty one that holds only what the measured operations read (<see cref="DatasetShape.Empty"/>), both made
/// once per run from the same accounts, in one store (<c>dataset</c>: SQLite; <c>dataset-postgres</c>: PostgreSQL). In
/// every repeat, each database is copied afresh and Parley started on it, one after the other: start-up time (process
/// start to <c>/healthz/ready</c> 200) and memory after start-up; then the operations of <see cref="DatasetOperations"/>
/// on both servers, interleaved (<see cref="InterleavedMeasurement"/>).
/// </summary>
internal sealed class DatasetScenario(string name, Func<IDatasetStore> createStore) : IScenario, IAsyncDisposable
{
    private static readonly ReadinessCheck Ready = new("/healthz/ready", TimeSpan.FromMilliseconds(10));
    private IDatasetStore? _store;
    private int _repeats;
    private (DatasetAccounts Accounts, GeneratedDatabase[] Databases)? _generated;

    public string Name => name;

    public bool Applies(ContenderKind kind) => kind == ContenderKind.Parley;

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        var store = _store ??= createStore();
        _generated ??= await GenerateAsync(context, store);
        var (accounts, databases) = _generated.Value;
        context.Results.Add(DatasetFigure.ScaleKey(store.KeyPrefix), kind, context.Options.DatasetScale);
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
            foreach (var (database, landmarks) in databases)
            {
                var server = await StartAsync(context, kind, store, database);
                servers.Add(server);
                await RecordStartupAsync(context, kind, store.KeyPrefix, database, server.Process);
                operations.Add(new DatasetOperations(server.Process, accounts, landmarks));
            }
            var samples = context.Options.DatasetSamples;
            foreach (var operation in DatasetOperations.Names)
            {
                var measured = await InterleavedMeasurement.MeasureAsync(operations, operation, Math.Max(10, samples / 10), samples, store.ExternalCpuMilliseconds);
                for (var k = 0; k < databases.Length; k++)
                {
                    Record(context, kind, store.KeyPrefix, databases[k].Name, operation, measured[k], operations[k].Answer(operation));
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
            await store.EndRepeatAsync();
        }
    }

    private static async Task<(DatasetAccounts, GeneratedDatabase[])> GenerateAsync(BenchContext context, IDatasetStore store)
    {
        // A failed attempt (the next repeat tries again) starts over: the store makes each database afresh.
        var accounts = await store.CreateTemplateAsync(context);
        var databases = new List<GeneratedDatabase>();
        foreach (var shape in new[] { DatasetShape.Empty, DatasetShape.Big(context.Options.DatasetScale) })
        {
            databases.Add(new GeneratedDatabase(shape.Name, await store.GenerateAsync(shape, accounts)));
        }
        return (accounts, [.. databases]);
    }

    /// <summary>Parley on a fresh copy of a generated database, ready when <c>/healthz/ready</c> answers 200.</summary>
    private static async Task<RunningContender> StartAsync(BenchContext context, ContenderKind kind, IDatasetStore store, string database)
    {
        var directory = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            var arguments = await store.CopyForServerAsync(database, directory);
            return new RunningContender(
                await ContenderProcess.StartAsync(kind, context.Paths, context.Options.Pin, directory, arguments, context.Options.ServerEnvironment, Ready), directory);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private static async Task RecordStartupAsync(BenchContext context, ContenderKind kind, string prefix, string database, ContenderProcess process)
    {
        var memory = await process.ProbeAsync();
        context.Results.Add(Key(prefix, database, "startup"), kind, process.ReadyAfter.TotalMilliseconds);
        context.Results.Add(Key(prefix, database, "rss"), kind, memory.RssBytes / 1048576.0);
        context.Results.Add(Key(prefix, database, "heap"), kind, memory.HeapBytes / 1048576.0);
        BenchContext.Log(FormattableString.Invariant(
            $"    {database}: ready after {process.ReadyAfter.TotalMilliseconds:#,0} ms, RSS {memory.RssBytes / 1048576.0:0.0} MB, heap {memory.HeapBytes / 1048576.0:0.0} MB"));
    }

    private static void Record(BenchContext context, ContenderKind kind, string prefix, string database, string operation, MeasuredOperation measured, string answer)
    {
        var usage = measured.Usage;
        // One wording for every operation, so that the table's notes say it once; the amounts are their own figure.
        var note = usage.Contended ? FormattableString.Invariant($"machine contended: other processes used more than {Usage.ContendedForeignCpu:0.00} of a core on the benchmark's cores") : null;
        context.Results.Add(Key(prefix, database, DatasetFigure.ForeignStem), kind, usage.ForeignCpu);
        var (p50, p99) = (measured.Samples.Percentile(0.50), measured.Samples.Percentile(0.99));
        context.Results.Add(Key(prefix, database, operation + ".p50"), kind, p50, !usage.Contended, note);
        context.Results.Add(Key(prefix, database, operation + ".p99"), kind, p99, !usage.Contended, note);
        BenchContext.Log(FormattableString.Invariant(
            $"    {database} {operation}: p50 {p50:0.00} ms, p99 {p99:0.00} ms over {measured.Samples.Count} (answer: {answer}); {usage.Describe()}"));
    }

    private static string Key(string prefix, string database, string stem) => $"{prefix}.{database}.{stem}";

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
