using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Realtime.Transport;

/// <summary>An HTTP/2 extended CONNECT (RFC 8441) that hands the accepted stream to <see cref="TransportCaptureFeature"/>.</summary>
internal sealed class CapturingConnectFeature(IHttpExtendedConnectFeature inner, TransportCaptureFeature capture) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => capture.Capture(await inner.AcceptAsync());
}
