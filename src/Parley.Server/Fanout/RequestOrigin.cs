namespace Parley.Server.Fanout;

/// <summary>
/// The socket request that caused an event, so that the asking socket can tell its own answer in the fan-out and
/// carry the client's <c>requestId</c> on it. It never leaves the node: the asking socket is always on the node that
/// published.
/// </summary>
public sealed record RequestOrigin(Guid SocketId, string RequestId);
