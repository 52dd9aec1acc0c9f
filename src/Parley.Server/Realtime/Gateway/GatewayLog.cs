namespace Parley.Server.Realtime.Gateway;

/// <summary>Log messages of the <c>/gateway</c> socket.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(LogEventIds.Gateway + 0, LogLevel.Debug, "Gateway socket {SocketId} of user {UserId} identified as session {SessionId}")]
    public static partial void Identified(ILogger logger, Guid socketId, long userId, string sessionId);

    [LoggerMessage(LogEventIds.Gateway + 1, LogLevel.Debug, "Gateway socket {SocketId} of user {UserId} resumed session {SessionId} after seq {Seq}")]
    public static partial void Resumed(ILogger logger, Guid socketId, long userId, string sessionId, long seq);

    [LoggerMessage(LogEventIds.Gateway + 2, LogLevel.Debug, "Gateway socket {SocketId} of user {UserId} could not resume: {Reason}")]
    public static partial void ResumeRefused(ILogger logger, Guid socketId, long userId, string reason);

    [LoggerMessage(LogEventIds.Gateway + 3, LogLevel.Information, "Gateway socket {SocketId} of user {UserId} closed with {Code}: {Reason}")]
    public static partial void ClosedByServer(ILogger logger, Guid socketId, long userId, int code, string reason);

    [LoggerMessage(LogEventIds.Gateway + 4, LogLevel.Error, "Delivering {EventType} to gateway sessions failed")]
    public static partial void DeliveryFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(LogEventIds.Gateway + 5, LogLevel.Debug, "Gateway session {SessionId} of user {UserId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, long userId, string reason);

    [LoggerMessage(LogEventIds.Gateway + 6, LogLevel.Debug, "Gateway socket {SocketId} sent unknown op {Op}; ignored")]
    public static partial void UnknownOp(ILogger logger, Guid socketId, string op);

    [LoggerMessage(LogEventIds.Gateway + 7, LogLevel.Information, "Gateway socket {SocketId} of user {UserId} took session {SessionId} over from another node after seq {Seq} (holder's last s {LastSeq}, holder died: {HolderDied})")]
    public static partial void TookOver(ILogger logger, Guid socketId, long userId, string sessionId, long seq, long lastSeq, bool holderDied);

    [LoggerMessage(LogEventIds.Gateway + 8, LogLevel.Warning, "The delivery queue is full: {EventType} not delivered; its {Recipients} sessions are told to reconnect")]
    public static partial void QueueFull(ILogger logger, string eventType, int recipients);
}
