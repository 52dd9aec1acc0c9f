namespace Parley.Server.Operations;

/// <summary>Readiness checks (<c>/healthz/ready</c>), bound from the <c>Health</c> section.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// How long one check (store, Redis) may take before it counts as failed, so that a dependency that hangs
    /// rather than refuses still turns readiness to 503 within 5 s. Default: 3 s.
    /// </summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
