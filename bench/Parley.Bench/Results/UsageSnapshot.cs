using System.Diagnostics;

namespace Parley.Bench.Results;

/// <summary>
/// A point in time with both processes' CPU counters, the busy time of the benchmark's cores and the demand
/// samples so far.
/// </summary>
internal readonly record struct UsageSnapshot(
    double ServerCpu, double GeneratorCpu, double CoresBusy, long Samples, long ServerRunnable, long GeneratorRunnable,
    (double Wait, long Slices) ServerScheduler, (double Wait, long Slices) GeneratorScheduler, long Timestamp)
{
    public static UsageSnapshot Take(ContenderProcess server)
    {
        var (samples, serverRunnable, generatorRunnable) = server.Demand?.Read() ?? default;
        return new(server.CpuMilliseconds(), ProcStats.CpuMilliseconds("self"), CoreStats.BusyMilliseconds(), samples, serverRunnable, generatorRunnable,
            ProcStats.Scheduler(server.Pid), ProcStats.Scheduler("self"), Stopwatch.GetTimestamp());
    }

    private static double Delay((double Wait, long Slices) start, (double Wait, long Slices) end) =>
        // Threads that exit within the window take their counts with them: ignore a (rare) negative difference.
        end.Slices > start.Slices ? Math.Max(0, end.Wait - start.Wait) / (end.Slices - start.Slices) : 0;

    public Usage Until(UsageSnapshot end)
    {
        var wall = Stopwatch.GetElapsedTime(Timestamp, end.Timestamp).TotalMilliseconds;
        var server = end.ServerCpu - ServerCpu;
        var generator = end.GeneratorCpu - GeneratorCpu;
        var samples = Math.Max(1, end.Samples - Samples);
        // The CPU counters tick at USER_HZ, so a few ticks' difference between them is rounding: a slightly
        // negative remainder means no foreign work, not less than none. Unpinned on a machine with more cores,
        // the two processes may run elsewhere and the remainder undercounts; the runner pins them by default.
        var foreign = Math.Max(0, end.CoresBusy - CoresBusy - server - generator);
        return new Usage(wall / 1000, server, server / wall, (double)(end.ServerRunnable - ServerRunnable) / samples,
            generator / wall, (double)(end.GeneratorRunnable - GeneratorRunnable) / samples,
            Delay(ServerScheduler, end.ServerScheduler), Delay(GeneratorScheduler, end.GeneratorScheduler), foreign / wall);
    }
}
