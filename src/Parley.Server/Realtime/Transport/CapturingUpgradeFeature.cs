using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Realtime.Transport;

/// <summary>An HTTP/1.1 upgrade that hands the upgraded stream to <see cref="TransportCaptureFeature"/>.</summary>
internal sealed class CapturingUpgradeFeature(IHttpUpgradeFeature inner, TransportCaptureFeature capture) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => capture.Capture(await inner.UpgradeAsync());
}
