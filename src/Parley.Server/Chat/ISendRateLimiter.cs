namespace Parley.Server.Chat;

/// <summary>
/// The per-user send bucket (<see cref="RateLimitOptions"/>), shared by every socket and HTTP send of the
/// user on every node.
/// </summary>
public interface ISendRateLimiter
{
    /// <summary>Takes one token; null when allowed, else how long until a token is available.</summary>
    ValueTask<TimeSpan?> TryAcquireAsync(long userId);
}
