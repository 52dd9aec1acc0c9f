using System.Diagnostics;

namespace Parley.Bench.Dataset;

/// <summary>Durations of one measured operation, in milliseconds, and their percentiles.</summary>
internal sealed class LatencySamples
{
    private readonly List<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(long startTimestamp) => _milliseconds.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    /// <summary>The smallest sample at or above a <paramref name="quantile"/> of them (nearest rank); NaN when none.</summary>
    public double Percentile(double quantile)
    {
        if (_milliseconds.Count == 0)
        {
            return double.NaN;
        }
        var sorted = _milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
