namespace Parley.Server.Http;

/// <summary>Cross-site request settings, bound from the <c>Security</c> section.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) besides the server's own that may make state-changing requests
    /// and open sockets. Default: none.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}
