using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Parley.Server.Operations;

/// <summary>Turns <see cref="ProxyOptions"/> into the platform's forwarded-headers options.</summary>
internal sealed class ConfigureForwardedHeaders(IOptions<ProxyOptions> proxy) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        var value = proxy.Value;
        if (value.KnownProxies.Length == 0 && value.KnownNetworks.Length == 0)
        {
            return; // the platform's default: 127.0.0.0/8 and ::1
        }
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var address in value.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(address));
        }
        foreach (var network in value.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}
