using Parley.Bench.Results;

namespace Parley.Bench.Dataset;

/// <summary>One operation's timed samples, and the CPU use of the server, the generator and others while they were taken.</summary>
internal sealed record MeasuredOperation(LatencySamples Samples, Usage Usage);
