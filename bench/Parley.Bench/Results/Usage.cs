using System.Diagnostics;

namespace Parley.Bench.Results;

/// <summary>
/// CPU used by the server and by the generator (this process) over a window, as fractions of one core:
/// busy (CPU time / wall time) and demand ((CPU time + run-queue wait) / wall time, at most 1). On a machine
/// shared with other work a process may get little CPU while wanting all of it; demand tells the two apart,
/// so validity is judged on demand: the server saturated (it always had work), the generator not.
/// </summary>
internal readonly record struct Usage(double Seconds, double ServerCpuMilliseconds, double ServerBusy, double ServerDemand, double GeneratorBusy, double GeneratorDemand)
{
    /// <summary>The server counts as saturated at this demand, and only then is a throughput figure its limit.</summary>
    public const double ServerSaturated = 0.90;

    /// <summary>Above this demand the generator may be what limits the figure, which is then not valid.</summary>
    public const double GeneratorLimit = 0.85;

    public bool GeneratorBound => GeneratorDemand > GeneratorLimit;

    public bool ServerBound => ServerDemand >= ServerSaturated;

    public string Describe() => FormattableString.Invariant(
        $"server {ServerBusy:P0} busy/{ServerDemand:P0} demand, generator {GeneratorBusy:P0} busy/{GeneratorDemand:P0} demand");
}

/// <summary>A point in time with both processes' CPU and run-queue wait counters.</summary>
internal readonly record struct UsageSnapshot(double ServerCpu, double ServerWait, double GeneratorCpu, double GeneratorWait, long Timestamp)
{
    public static UsageSnapshot Take(ContenderProcess server) =>
        new(server.CpuMilliseconds(), ProcStats.RunQueueWaitMilliseconds(server.Pid),
            ProcStats.CpuMilliseconds("self"), ProcStats.RunQueueWaitMilliseconds("self"), Stopwatch.GetTimestamp());

    public Usage Until(UsageSnapshot end)
    {
        var wall = Stopwatch.GetElapsedTime(Timestamp, end.Timestamp).TotalMilliseconds;
        var server = end.ServerCpu - ServerCpu;
        var generator = end.GeneratorCpu - GeneratorCpu;
        // A thread that exits within the window takes its wait with it: clamp the (rare) negative difference.
        var serverWait = Math.Max(0, end.ServerWait - ServerWait);
        var generatorWait = Math.Max(0, end.GeneratorWait - GeneratorWait);
        return new Usage(wall / 1000, server, server / wall, Math.Min(1, (server + serverWait) / wall),
            generator / wall, Math.Min(1, (generator + generatorWait) / wall));
    }
}
