namespace Parley.Server.Realtime;

/// <summary>
/// A frame's handler failed unexpectedly; carries the frame's <c>requestId</c> to
/// <see cref="ISocketProtocol.OnHandlerFailed"/>, so that the <c>internal</c> error answering it says which request it was.
/// </summary>
internal sealed class FrameFailedException(string requestId, Exception inner) : Exception($"Handling request {requestId} failed.", inner)
{
    public string RequestId { get; } = requestId;
}
