namespace Parley.Bench;

/// <summary>What a started contender is asked until it answers 2xx, and how often.</summary>
internal sealed record ReadinessCheck(string Path, TimeSpan Interval)
{
    /// <summary><c>/healthz</c>, which every contender has; 100 ms apart, which is plenty when only readiness matters.</summary>
    public static readonly ReadinessCheck Default = new("/healthz", TimeSpan.FromMilliseconds(100));
}
