namespace Parley.Server.Realtime;

/// <summary>Log messages of the socket layer.</summary>
internal static partial class RealtimeLog
{
    [LoggerMessage(LogEventIds.Realtime + 0, LogLevel.Debug, "Socket {SocketId} of user {UserId} opened on {Path}")]
    public static partial void Opened(ILogger logger, Guid socketId, long userId, string path);

    [LoggerMessage(LogEventIds.Realtime + 1, LogLevel.Debug, "Socket {SocketId} closed")]
    public static partial void Closed(ILogger logger, Guid socketId);

    [LoggerMessage(LogEventIds.Realtime + 2, LogLevel.Warning, "Socket {SocketId} of user {UserId} is too slow: {Queued} frames / {Bytes} bytes queued; disconnecting")]
    public static partial void TooSlow(ILogger logger, Guid socketId, long userId, int queued, long bytes);

    [LoggerMessage(LogEventIds.Realtime + 3, LogLevel.Error, "Unexpected error handling a frame on socket {SocketId}")]
    public static partial void HandlerFailed(ILogger logger, Guid socketId, Exception exception);

    [LoggerMessage(LogEventIds.Realtime + 4, LogLevel.Debug, "Socket {SocketId} ended with a transport error: {Message}")]
    public static partial void TransportError(ILogger logger, Guid socketId, string message);

    [LoggerMessage(LogEventIds.Realtime + 5, LogLevel.Warning, "Filling a seq gap in channel {ChannelId} from the store failed")]
    public static partial void GapFillFailed(ILogger logger, long channelId, Exception exception);

    [LoggerMessage(LogEventIds.Realtime + 6, LogLevel.Error, "A seq gap in channel {ChannelId} between {After} and {Before} did not shrink after a read from the store; waiting for the next message or resync")]
    public static partial void GapNotFilled(ILogger logger, long channelId, long after, long before);
}
