namespace Parley.Server.Fanout.Redis;

/// <summary>Scale-out settings, bound from the <c>Redis</c> section. Setting <see cref="Configuration"/> turns Redis on.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>). Default: none (single node).</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every Redis key and channel, so several Parley clusters can share one Redis. Default <c>parley</c>.</summary>
    public string Prefix { get; set; } = "parley";

    /// <summary>How often a node renews its liveness key. Default 2 seconds.</summary>
    public TimeSpan NodeHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a silent node is considered alive; after that its presence entries are removed. Default 10 seconds.</summary>
    public TimeSpan NodeExpiry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a node compares the channels its sockets follow with the store, to deliver messages whose
    /// publication it missed (Redis down or restarted). Default 2 seconds.
    /// </summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a node also re-reads the memberships of the users it serves, in case a publisher could not reach
    /// Redis (it always does right after its own connection comes back). Default 30 seconds.
    /// </summary>
    public TimeSpan ThoroughResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a change that must hold on every node before its call returns (a member's removal) waits for the
    /// other live nodes to confirm they applied it. Default 2 seconds.
    /// </summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
