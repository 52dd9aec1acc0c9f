namespace Parley.Server.ServerApi;

/// <summary>The host backend's API (<c>/api/server/*</c>), bound from the <c>Server</c> section; validated at start.</summary>
public sealed class ServerApiOptions
{
    public const string SectionName = "Server";

    /// <summary>
    /// Named keys: <c>Server:ApiKeys:&lt;name&gt;</c> = secret. A request carries a secret as <c>Authorization: Bearer</c>;
    /// logs name the key, never the secret. Default none: the server API answers 401 to everyone.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Messages per second the server API may publish on this node, all keys and authors together (a token bucket of
    /// this size, refilled every second); past it, 429 with <c>Retry-After</c>. Default 1000.
    /// </summary>
    public int MessagesPerSecond { get; set; } = 1000;
}
