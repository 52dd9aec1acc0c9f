namespace Parley.Protocol.Gateway;

/// <summary>The <c>op</c> values of <c>/gateway</c> frames that are not dispatches.</summary>
public static class GatewayOps
{
    /// <summary>Server → client on open: <c>{"op":"HELLO","d":{"heartbeat_interval":ms}}</c>.</summary>
    public const string Hello = "HELLO";
    /// <summary>Client → server: <c>{"op":"IDENTIFY","d":{"userId":N}}</c>, answered by the <c>READY</c> dispatch.</summary>
    public const string Identify = "IDENTIFY";
    /// <summary>Client → server: <c>{"op":"RESUME","d":{"sessionId":"…","seq":N}}</c>.</summary>
    public const string Resume = "RESUME";
    /// <summary>Client → server, at least every <c>heartbeat_interval</c>.</summary>
    public const string Heartbeat = "HEARTBEAT";
    /// <summary>Server → client: answer to <c>HEARTBEAT</c>.</summary>
    public const string HeartbeatAck = "HEARTBEAT_ACK";
    /// <summary>Server → client: the RESUME cannot be honoured; IDENTIFY afresh.</summary>
    public const string InvalidSession = "INVALID_SESSION";
}
