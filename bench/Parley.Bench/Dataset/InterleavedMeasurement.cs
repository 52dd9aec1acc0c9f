using System.Diagnostics;
using Parley.Bench.Results;

namespace Parley.Bench.Dataset;

/// <summary>
/// Times one operation on several servers at once, repetition by repetition in turn (which server goes first
/// alternates), so that drift on a shared machine hits every database alike, as the runner interleaves contenders.
/// A warm-up is not recorded. Each server's foreign CPU leaves out the other servers' own CPU and that of the database
/// server both use, if any (the measurement's <c>externalCpuMilliseconds</c>): they are part of the benchmark, not contention.
/// </summary>
internal static class InterleavedMeasurement
{
    public static async Task<MeasuredOperation[]> MeasureAsync(
        IReadOnlyList<DatasetOperations> targets, string operation, int warmup, int samples, Func<double?> externalCpuMilliseconds)
    {
        var runs = new List<OperationRun>();
        try
        {
            foreach (var target in targets)
            {
                runs.Add(await target.BeginAsync(operation));
            }
            var recorded = targets.Select(_ => new LatencySamples()).ToArray();
            var from = new UsageSnapshot[targets.Count];
            double? externalFrom = null;
            for (var i = 0; i < warmup + samples; i++)
            {
                if (i == warmup)
                {
                    for (var k = 0; k < targets.Count; k++)
                    {
                        from[k] = UsageSnapshot.Take(targets[k].Server);
                    }
                    externalFrom = externalCpuMilliseconds();
                }
                for (var turn = 0; turn < targets.Count; turn++)
                {
                    var k = (i + turn) % targets.Count;
                    var start = Stopwatch.GetTimestamp();
                    await runs[k].Repeat(i);
                    if (i >= warmup)
                    {
                        recorded[k].Add(start);
                    }
                    if (runs[k].After is { } after)
                    {
                        await after();
                    }
                }
            }
            var usages = targets.Select((t, k) => from[k].Until(UsageSnapshot.Take(t.Server))).ToArray();
            var external = externalCpuMilliseconds() - externalFrom is { } used ? used / (usages[0].Seconds * 1000) : 0;
            return [.. usages.Select((usage, k) => new MeasuredOperation(recorded[k],
                usage with { ForeignCpu = Math.Max(0, usage.ForeignCpu - external - usages.Where((_, other) => other != k).Sum(u => u.ServerBusy)) }))];
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }
    }
}
