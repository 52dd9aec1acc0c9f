using Parley.Protocol;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// One gateway socket's state: its session once identified, the identify and heartbeat deadlines, and the
/// frame-rate window. Timers close the socket from a timer thread; everything else runs in the frame loop.
/// </summary>
internal sealed class GatewayConnection : IDisposable
{
    private readonly ITimer _identifyDeadline;
    private readonly ITimer _heartbeatDeadline;
    private readonly TimeSpan _heartbeatTimeout;

    public GatewayConnection(SocketConnection socket, GatewayOptions options, TimeProvider time, ILogger logger)
    {
        Socket = socket;
        Rate = new GatewayRateWindow(options.MaxEventsPerWindow, options.EventWindow, time);
        // 1.5 × the announced interval, as Discord's gateway allows: a client that heartbeats on time is
        // never cut off by network jitter.
        _heartbeatTimeout = options.HeartbeatInterval * 1.5;
        _identifyDeadline = time.CreateTimer(
            _ => Close(CloseCodes.NotAuthenticated, "Not identified in time", logger), null, options.IdentifyTimeout, Timeout.InfiniteTimeSpan);
        _heartbeatDeadline = time.CreateTimer(
            _ => Close(CloseCodes.SessionTimedOut, "Heartbeat timed out", logger), null, _heartbeatTimeout, Timeout.InfiniteTimeSpan);
    }

    public SocketConnection Socket { get; }

    public GatewayRateWindow Rate { get; }

    /// <summary>The session this socket identified or resumed; null before.</summary>
    public GatewaySession? Session { get; private set; }

    /// <summary>
    /// An IDENTIFY arrived in time: the identify deadline no longer applies, and the heartbeat deadline
    /// restarts, since heartbeats are not allowed before it (and building READY is not the client's time).
    /// </summary>
    public void IdentifyReceived()
    {
        _identifyDeadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        HeartbeatReceived();
    }

    /// <summary>The socket identified or resumed <paramref name="session"/>.</summary>
    public void Identified(GatewaySession session)
    {
        Session = session;
        IdentifyReceived();
    }

    public void HeartbeatReceived() => _heartbeatDeadline.Change(_heartbeatTimeout, Timeout.InfiniteTimeSpan);

    public void Close(int code, string reason, ILogger logger)
    {
        if (!Socket.IsClosing)
        {
            GatewayLog.ClosedByServer(logger, Socket.Id, Socket.User!.Id, code, reason);
            Socket.Close(code, reason);
        }
    }

    public void Dispose()
    {
        _identifyDeadline.Dispose();
        _heartbeatDeadline.Dispose();
    }
}
