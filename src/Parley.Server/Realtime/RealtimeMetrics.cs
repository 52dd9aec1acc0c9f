namespace Parley.Server.Realtime;

/// <summary>Counters of the socket layer, exported at <c>/metrics</c>.</summary>
public sealed class RealtimeMetrics
{
    private long _opened;
    private long _handlerFailures;

    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Frames whose handler threw: each one is a bug, answered with an <c>internal</c> error.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    public void SocketOpened() => Interlocked.Increment(ref _opened);

    public void HandlerFailed() => Interlocked.Increment(ref _handlerFailures);
}
