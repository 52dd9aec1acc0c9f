namespace Parley.Bench.Results;

/// <summary>
/// CPU used by the server and by the generator (this process) over a window, as fractions of one core:
/// busy (CPU time / wall time) and demand (the share of time it had a thread running or waiting to run, see
/// <see cref="DemandSampler"/>). On a machine shared with other work a process may get little CPU while
/// wanting all of it; demand tells the two apart, so validity is judged on it: the server saturated (it
/// always had work), the generator not. Foreign CPU is what everything else used of the two benchmark
/// cores; the scheduling delays are the mean run-queue wait per time slice of each process's threads.
/// </summary>
internal readonly record struct Usage(
    double Seconds, double ServerCpuMilliseconds, double ServerBusy, double ServerDemand, double GeneratorBusy, double GeneratorDemand,
    double ServerDelayMilliseconds, double GeneratorDelayMilliseconds, double ForeignCpu)
{
    /// <summary>
    /// Foreign CPU (fraction of one core, over both benchmark cores) above which other processes took enough
    /// of the cores for a latency figure not to be the contender's alone. Why 0.10: quick latency windows on a
    /// quiet machine measured 0.00–0.02 (Kestrel, and Parley committing to SQLite) with the two processes
    /// using about 1.8 cores, so kernel work charged to the cores rather than to either process (loopback
    /// softirqs among it) and rounding to the 10 ms tick (about ±0.03 over a 1.5 s window) stay well below
    /// it; a busy loop sharing core 0 with the server measured 0.44, well above it.
    /// </summary>
    /// <remarks>
    /// Not the scheduling delay: the server's own threads (thread pool, Kestrel IO, epoll) queue behind each
    /// other on their single core, which gives 0.3–1.3 ms of delay on a machine with nothing else on it.
    /// That is the contender's own cost, part of what is measured, not contention by other work.
    /// </remarks>
    public const double ContendedForeignCpu = 0.10;

    public bool Contended => ForeignCpu > ContendedForeignCpu;

    public string DescribeContention() => FormattableString.Invariant(
        $"machine contended: other processes used {ForeignCpu:0.00} of a core on the benchmark's cores");

    /// <summary>The server counts as saturated at this demand, and only then is a throughput figure its limit.</summary>
    public const double ServerSaturated = 0.90;

    /// <summary>Above this demand the generator may be what limits the figure, which is then not valid.</summary>
    public const double GeneratorLimit = 0.85;

    public bool GeneratorBound => GeneratorDemand > GeneratorLimit;

    public bool ServerBound => ServerDemand >= ServerSaturated;

    public string Describe() => FormattableString.Invariant(
        $"server {ServerBusy:P0} busy/{ServerDemand:P0} demand, generator {GeneratorBusy:P0} busy/{GeneratorDemand:P0} demand, foreign CPU {ForeignCpu:0.00} core, scheduling delay {ServerDelayMilliseconds:0.00}/{GeneratorDelayMilliseconds:0.00} ms");
}
