using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Realtime.Transport;

/// <summary>
/// Keeps hold of the upgraded connection's stream when a socket request is accepted, so that
/// <see cref="SocketConnection"/> can write ready-made frames to it in batches instead of one
/// <c>WebSocket.SendAsync</c> per frame. Installed before the framework's WebSocket middleware, which reads
/// the upgrade features when it runs: it then upgrades through the wrappers below and builds its WebSocket
/// on the captured stream.
/// </summary>
public sealed class TransportCaptureFeature
{
    /// <summary>The stream the WebSocket runs on; null until the upgrade (or when the server offered no upgrade).</summary>
    public SerializedWriteStream? Stream { get; private set; }

    internal Stream Capture(Stream upgraded)
    {
        Stream = new SerializedWriteStream(upgraded);
        return Stream;
    }

    /// <summary>Wraps the request's upgrade features; call before the WebSocket middleware runs.</summary>
    public static void Install(HttpContext context)
    {
        var feature = new TransportCaptureFeature();
        var installed = false;
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new CapturingUpgradeFeature(upgrade, feature));
            installed = true;
        }
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new CapturingConnectFeature(connect, feature));
            installed = true;
        }
        if (installed)
        {
            context.Features.Set(feature);
        }
    }
}
