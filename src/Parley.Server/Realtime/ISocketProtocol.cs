namespace Parley.Server.Realtime;

/// <summary>
/// One socket protocol (<c>/ws/chat</c>, <c>/messagepal</c>, <c>/gateway</c>) as the <see cref="SocketHost"/>
/// drives it: the host owns accepting, authentication, quotas, frame limits, revocation and closing; the
/// protocol parses frames, calls the chat core and formats events in its own wire shape.
/// </summary>
public interface ISocketProtocol
{
    /// <summary>The protocol's name in metrics (the <c>protocol</c> tag): <c>chat</c>, <c>messagepal</c> or <c>gateway</c>.</summary>
    string Name { get; }

    /// <summary>Tells a socket without valid credentials why it is about to be closed with 4001 (or nothing).</summary>
    void RejectUnauthenticated(SocketConnection connection);

    /// <summary>The socket is authenticated and registered; send the greeting.</summary>
    Task OnOpenAsync(SocketConnection connection);

    /// <summary>One whole, valid UTF-8 text frame. Must not throw for bad input: answer with an error instead.</summary>
    Task OnFrameAsync(SocketConnection connection, ReadOnlyMemory<byte> frame);

    /// <summary>Answers a frame whose handler failed unexpectedly (with the frame's <c>requestId</c>, if it had one).</summary>
    void OnHandlerFailed(SocketConnection connection, string? requestId);

    /// <summary>The socket is gone: release subscriptions and presence.</summary>
    Task OnClosedAsync(SocketConnection connection);
}
