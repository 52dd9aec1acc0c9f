using System.Net;

namespace Parley.Server.Operations;

/// <summary>
/// Which reverse proxies are believed, bound from the <c>Proxy</c> section: their <c>X-Forwarded-For</c>,
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> become the request's client address, scheme and host
/// (so the origin check, the cookie's <c>Secure</c> flag and the login throttle see the client, not the proxy).
/// Anyone else's forwarded headers are ignored. Default: loopback only (127.0.0.0/8 and ::1), a proxy on the
/// same machine. Setting either list replaces that default.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>IP addresses of trusted proxies (<c>10.0.0.5</c>, <c>::1</c>). Default: none besides the loopback default.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Trusted proxy networks in CIDR form (<c>10.0.0.0/8</c>). Default: none besides the loopback default.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>The entries that are no IP address or no CIDR network; empty when the options are valid.</summary>
    public IReadOnlyList<string> InvalidEntries() =>
        [
            .. KnownProxies.Where(p => !IPAddress.TryParse(p, out _)),
            .. KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)),
        ];
}
