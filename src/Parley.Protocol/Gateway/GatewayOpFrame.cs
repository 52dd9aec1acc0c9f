namespace Parley.Protocol.Gateway;

/// <summary>A frame with only an <c>op</c>: <c>HEARTBEAT_ACK</c>, <c>INVALID_SESSION</c> (or a client's <c>HEARTBEAT</c>).</summary>
/// <param name="Op">A <see cref="GatewayOps"/> value.</param>
public sealed record GatewayOpFrame(string Op);
