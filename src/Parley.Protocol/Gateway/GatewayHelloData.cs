using System.Text.Json.Serialization;

namespace Parley.Protocol.Gateway;

/// <summary>The <c>d</c> of HELLO.</summary>
/// <param name="HeartbeatInterval">Milliseconds between heartbeats; the socket closes with 4009 after 1.5 × this without one.</param>
public sealed record GatewayHelloData([property: JsonPropertyName("heartbeat_interval")] long HeartbeatInterval);
