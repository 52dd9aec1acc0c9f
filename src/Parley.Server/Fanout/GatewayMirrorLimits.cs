namespace Parley.Server.Fanout;

/// <summary>
/// How long and how much a gateway session mirror keeps, and how long a hand-off waits: the gateway's
/// <c>Gateway:ResumeWindow</c>, <c>Gateway:ResumeBufferSize</c> and <c>Gateway:ResumeHandoffTimeout</c>, handed to the
/// mirror by the gateway's setup so that the mirror does not depend on the gateway's options class.
/// </summary>
internal sealed record GatewayMirrorLimits(TimeSpan ResumeWindow, int ResumeBufferSize, TimeSpan ResumeHandoffTimeout);
