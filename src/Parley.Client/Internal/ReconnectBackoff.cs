namespace Parley.Client.Internal;

/// <summary>
/// Exponential backoff with jitter: <c>initial × 2^attempt</c>, capped at <c>max</c>, minus a random share of
/// up to <c>jitter</c> so that clients dropped together spread out.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, double jitter, Random random)
{
    /// <summary>The delay before reconnect attempt number <paramref name="attempt"/> (0 for the first).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 62);
        var ticks = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        var jittered = ticks * (1 - (jitter * random.NextDouble()));
        return TimeSpan.FromTicks((long)jittered);
    }
}
