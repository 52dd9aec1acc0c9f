namespace Parley.Bench.Results;

/// <summary>
/// CPU used by the server and by the generator (this process) over a window, as fractions of one core:
/// busy (CPU time / wall time) and demand (the share of time it had a thread running or waiting to run, see
/// <see cref="DemandSampler"/>). On a machine shared with other work a process may get little CPU while
/// wanting all of it; demand tells the two apart, so validity is judged on it: the server saturated (it
/// always had work), the generator not.
/// </summary>
internal readonly record struct Usage(
    double Seconds, double ServerCpuMilliseconds, double ServerBusy, double ServerDemand, double GeneratorBusy, double GeneratorDemand,
    double ServerDelayMilliseconds, double GeneratorDelayMilliseconds)
{
    /// <summary>
    /// Mean scheduling delay (run-queue wait per wake-up) above which the machine is too busy with other work
    /// for a latency figure to be the contender's: it is then mostly time spent waiting for a core.
    /// </summary>
    public const double ContendedDelayMilliseconds = 0.2;

    public bool Contended => ServerDelayMilliseconds > ContendedDelayMilliseconds || GeneratorDelayMilliseconds > ContendedDelayMilliseconds;

    public string DescribeContention() => FormattableString.Invariant(
        $"machine contended: mean scheduling delay {ServerDelayMilliseconds:0.0} ms (server), {GeneratorDelayMilliseconds:0.0} ms (generator)");

    /// <summary>The server counts as saturated at this demand, and only then is a throughput figure its limit.</summary>
    public const double ServerSaturated = 0.90;

    /// <summary>Above this demand the generator may be what limits the figure, which is then not valid.</summary>
    public const double GeneratorLimit = 0.85;

    public bool GeneratorBound => GeneratorDemand > GeneratorLimit;

    public bool ServerBound => ServerDemand >= ServerSaturated;

    public string Describe() => FormattableString.Invariant(
        $"server {ServerBusy:P0} busy/{ServerDemand:P0} demand, generator {GeneratorBusy:P0} busy/{GeneratorDemand:P0} demand, scheduling delay {ServerDelayMilliseconds:0.00}/{GeneratorDelayMilliseconds:0.00} ms");
}
