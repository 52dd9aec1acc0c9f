namespace Parley.Server.Fanout;

/// <summary>The outcome of <see cref="IGatewaySessionMirror.ClaimAsync"/>: the session, or why it cannot be taken over.</summary>
internal sealed record GatewayClaimResult(MirroredSession? Session, string? Refusal)
{
    public static GatewayClaimResult Refused(string reason) => new(null, reason);
}
