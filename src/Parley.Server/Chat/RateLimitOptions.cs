namespace Parley.Server.Chat;

/// <summary>
/// The per-user send bucket shared by all sockets and <c>POST /api/messages</c>, bound from the
/// <c>RateLimit</c> section (names as in <c>TokenBucketRateLimiterOptions</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Bucket capacity. Default 5.</summary>
    public int TokenLimit { get; set; } = 5;

    /// <summary>Tokens added each period. Default 5.</summary>
    public int TokensPerPeriod { get; set; } = 5;

    /// <summary>Refill period. Default 5 seconds.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
