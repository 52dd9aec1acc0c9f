namespace Parley.Server.Realtime;

/// <summary>One queued text frame, or the close frame that ends a socket's send queue.</summary>
internal readonly record struct OutboundFrame(byte[]? Payload, int CloseCode, string? CloseReason)
{
    public bool IsClose => Payload is null;
}
