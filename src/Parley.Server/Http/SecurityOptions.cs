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

    /// <summary>Whether <paramref name="value"/> is an origin as a browser sends it: http(s), a host, maybe a port, no path.</summary>
    public static bool IsOrigin(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);
}
