using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Parley.Bench.Dataset;
using Parley.Bench.Results;
using Parley.Bench.Scenarios;

namespace Parley.Bench;

/// <summary>
/// The runner: builds the contenders, pins itself (the generator) to core 1 and each contender to core 0,
/// seeds Parley's users once, runs every scenario for every contender in every repeat (contenders
/// interleaved, so drift on a shared machine hits them alike), then prints and writes the table and chart.
/// </summary>
internal static class BenchCommand
{
    private const string PinnedVariable = "PARLEY_BENCH_PINNED";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n" + BenchOptions.Usage);
            return 2;
        }
        var paths = BenchPaths.Locate();
        if (options.Pin && Environment.GetEnvironmentVariable(PinnedVariable) != "1")
        {
            if (Environment.ProcessorCount < 2)
            {
                BenchContext.Log("Fewer than 2 cores: running unpinned.");
                options.Pin = false;
            }
            else
            {
                if (options.Build && !await BuildContendersAsync(paths))
                {
                    return 1;
                }
                return await RunPinnedAsync(args);
            }
        }
        else if (options.Build && Environment.GetEnvironmentVariable(PinnedVariable) != "1" && !await BuildContendersAsync(paths))
        {
            return 1;
        }
        return await RunScenariosAsync(options, paths);
    }

    /// <summary>Runs this same command again under <c>taskset -c 1</c>, so every thread of the generator is on core 1.</summary>
    private static async Task<int> RunPinnedAsync(string[] args)
    {
        var start = new ProcessStartInfo("taskset") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("1");
        var host = Environment.ProcessPath!;
        start.ArgumentList.Add(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[PinnedVariable] = "1";
        // The generator must stay cheap: run socket continuations on the epoll thread instead of hopping to
        // the thread pool for every received frame, and do not spin idle pool threads on its single core.
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private static async Task<bool> BuildContendersAsync(BenchPaths paths)
    {
        foreach (var project in new[] { paths.ParleyProject, paths.SignalRProject, paths.KestrelProject })
        {
            BenchContext.Log($"Building {Path.GetFileNameWithoutExtension(project)} ({paths.Configuration})");
            // The web client is not part of what is measured; skip its npm build.
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var arg in new[] { "build", project, "-c", paths.Configuration, "-p:SkipWebClient=true", "--nologo", "-v", "q" })
            {
                start.ArgumentList.Add(arg);
            }
            using var build = Process.Start(start)!;
            await build.WaitForExitAsync();
            if (build.ExitCode != 0)
            {
                BenchContext.Log($"Build of {project} failed.");
                return false;
            }
        }
        return true;
    }

    private static async Task<int> RunScenariosAsync(BenchOptions options, BenchPaths paths)
    {
        var fileLimit = NativeMethods.RaiseOpenFileLimit(1_048_576);
        options.FileLimit = fileLimit == 0 ? ulong.MaxValue : fileLimit;
        BenchContext.Log($"Open-file limit {fileLimit}; pinned: {options.Pin}; repeats: {options.Repeats}; client: {options.Client}; SignalR client: {options.SignalRClient}");
        var contenders = options.Contenders.ToList();
        if (options.ParleyNormal && contenders.Contains(ContenderKind.Parley) && !contenders.Contains(ContenderKind.ParleyNormal))
        {
            contenders.Insert(contenders.IndexOf(ContenderKind.Parley) + 1, ContenderKind.ParleyNormal);
        }
        var wantsPostgres = options.Scenarios.Contains("persistence") && contenders.Contains(ContenderKind.Parley);
        if (options.ParleyPostgres && wantsPostgres && !contenders.Contains(ContenderKind.ParleyPostgres))
        {
            contenders.Insert(contenders.IndexOf(ContenderKind.Parley) + 1, ContenderKind.ParleyPostgres);
        }
        if (contenders.Contains(ContenderKind.ParleyPostgres) && !PostgresCluster.IsInstalled)
        {
            BenchContext.Log("PostgreSQL 15 is not installed (scripts/install-postgres.sh): Parley on PostgreSQL is skipped.");
            contenders.Remove(ContenderKind.ParleyPostgres);
        }
        ParleyFixture? fixture = null;
        ParleyFixture? postgresFixture = null;
        PostgresCluster? postgres = null;
        string? fixtureDirectory = null;
        string? postgresFixtureDirectory = null;
        if (contenders.Any(c => c.IsParley()) && !options.DatasetOnly)
        {
            fixtureDirectory = Directory.CreateTempSubdirectory("parley-bench-template-").FullName;
            BenchContext.Log($"Seeding Parley: {ParleyFixture.UserCount} users with API tokens, {ParleyFixture.ChannelCount} channels");
            fixture = await ParleyFixture.CreateAsync(paths, options.Pin, fixtureDirectory);
        }
        if (contenders.Contains(ContenderKind.ParleyPostgres) && !options.DatasetOnly)
        {
            postgres = await PostgresCluster.StartAsync(options.Pin, "max_connections=200", "shared_buffers=128MB");
            postgresFixtureDirectory = Directory.CreateTempSubdirectory("parley-bench-pg-template-").FullName;
            BenchContext.Log($"Seeding Parley on PostgreSQL (port {postgres.Port}): {ParleyFixture.UserCount} users with API tokens, {ParleyFixture.ChannelCount} channels");
            postgresFixture = await ParleyFixture.CreateAsync(paths, options.Pin, postgresFixtureDirectory, postgres);
        }
        var book = new ResultBook();
        var context = new BenchContext(options, paths, fixture, book, postgresFixture);
        IScenario[] scenarios =
        [
            new IdleScenario(),
            new FanoutScenario("fanout1", channels: 1, subscribers: 500, sendersPerChannel: 10, windowPerChannel: 48),
            // A backend or a bot bursting into a big room: one sender, 32 messages in flight.
            new FanoutScenario("fanout1s", channels: 1, subscribers: 500, sendersPerChannel: 1, windowPerChannel: 32),
            new FanoutScenario("fanout100", channels: 100, subscribers: 100, sendersPerChannel: 2, windowPerChannel: 2),
            new LatencyScenario(),
            new StorageCeilingScenario(),
            new PersistenceScenario(),
            new StorageWindowScenario(window: 1),
            new StorageWindowScenario(window: 8),
            new ScaleScenario(),
            new DatasetScenario("dataset", () => new SqliteDatasetStore()),
            new DatasetScenario("dataset-postgres", () => new PostgresDatasetStore()),
        ];
        var started = Stopwatch.StartNew();
        try
        {
            for (var repeat = 1; repeat <= options.Repeats; repeat++)
            {
                foreach (var scenario in scenarios.Where(s => options.Scenarios.Contains(s.Name)))
                {
                    if (scenario is ScaleScenario && repeat > options.ScaleRepeats)
                    {
                        continue;
                    }
                    foreach (var contender in contenders.Where(scenario.Applies))
                    {
                        BenchContext.Log($"repeat {repeat}/{options.Repeats}: {scenario.Name} — {contender.Label()}");
                        try
                        {
                            await scenario.RunAsync(context, contender);
                        }
                        catch (Exception ex)
                        {
                            BenchContext.Log($"  {scenario.Name} {contender.Label()} failed: {ex}");
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (var disposable in scenarios.OfType<IDisposable>())
            {
                disposable.Dispose();
            }
            foreach (var disposable in scenarios.OfType<IAsyncDisposable>())
            {
                // The data set's stores: PostgreSQL's server is stopped here, whatever happened before.
                await disposable.DisposeAsync();
            }
            if (fixtureDirectory is not null)
            {
                Directory.Delete(fixtureDirectory, recursive: true);
            }
            if (postgresFixtureDirectory is not null)
            {
                Directory.Delete(postgresFixtureDirectory, recursive: true);
            }
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
        BenchContext.Log($"Done in {started.Elapsed.TotalMinutes:0.0} min");
        await WriteResultsAsync(options, paths, book, contenders.Where(c => book.Observations.Any(o => o.Contender == c)).ToList());
        return 0;
    }

    private static async Task WriteResultsAsync(BenchOptions options, BenchPaths paths, ResultBook book, IReadOnlyList<ContenderKind> contenders)
    {
        var machine = MachineDescription();
        var header = string.Create(CultureInfo.InvariantCulture,
            $"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}; {options.Repeats} repeat(s), median [min–max]; server pinned to core 0, generator to core 1: {options.Pin}; client: {options.Client}; SignalR client: {options.SignalRClient}.");
        var table = ReportWriter.Write(book, contenders, header);
        var chart = ChartWriter.Write(book, contenders, $"{DateTime.UtcNow:yyyy-MM-dd}, {machine}");
        Console.WriteLine();
        Console.WriteLine(table);
        var output = options.OutputDirectory ?? Path.Combine(paths.Root, "bench", "results");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "latest.md"), table);
        await File.WriteAllTextAsync(Path.Combine(output, "latest.svg"), chart);
        await File.WriteAllLinesAsync(Path.Combine(output, "latest.tsv"),
            ["figure\tcontender\tvalue\tvalid\tnote", .. book.Observations.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Figure}\t{o.Contender}\t{o.Value}\t{o.Valid}\t{o.Note}"))]);
        BenchContext.Log($"Wrote {output}/latest.md, latest.svg, latest.tsv");
        if (options.UpdateDocs && options.DatasetOnly)
        {
            // The results section holds the contenders' table: a data-set run alone would replace it with nothing.
            BenchContext.Log("Not updating docs/benchmarks.md: the data-set scenario alone has none of the contenders' figures.");
        }
        else if (options.UpdateDocs)
        {
            var docs = Path.Combine(paths.Root, "docs", "benchmarks.md");
            await File.WriteAllTextAsync(Path.Combine(paths.Root, "docs", "benchmarks.svg"), chart);
            var text = await File.ReadAllTextAsync(docs);
            const string Begin = "<!-- results:begin -->";
            const string End = "<!-- results:end -->";
            var from = text.IndexOf(Begin, StringComparison.Ordinal);
            var to = text.IndexOf(End, StringComparison.Ordinal);
            if (from >= 0 && to > from)
            {
                text = text[..(from + Begin.Length)] + "\n" + table + "\n" + text[to..];
                await File.WriteAllTextAsync(docs, text);
                BenchContext.Log($"Updated {docs} and docs/benchmarks.svg");
            }
        }
    }

    private static string MachineDescription()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {GetCoreCount()} cores, {memory:0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }

    private static int GetCoreCount()
    {
        // Environment.ProcessorCount is 1 under taskset; count the machine's cores instead.
        var online = File.Exists("/sys/devices/system/cpu/online") ? File.ReadAllText("/sys/devices/system/cpu/online").Trim() : null;
        if (online is not null && online.Split('-') is [var first, var last] && int.TryParse(first, out var a) && int.TryParse(last, out var b))
        {
            return b - a + 1;
        }
        return Environment.ProcessorCount;
    }
}
