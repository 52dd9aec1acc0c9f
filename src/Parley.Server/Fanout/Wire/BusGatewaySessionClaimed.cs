namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="GatewaySessionClaimed"/>.</summary>
public sealed record BusGatewaySessionClaimed(string SessionId, Guid ClaimId) : BusEvent;
