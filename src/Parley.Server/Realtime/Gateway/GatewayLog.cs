namespace Parley.Server.Realtime.Gateway;

/// <summary>Log messages of the <c>/gateway</c> socket (event ids 3200–3299).</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(3200, LogLevel.Debug, "Gateway socket {SocketId} of user {UserId} identified as session {SessionId}")]
    public static partial void Identified(ILogger logger, Guid socketId, long userId, string sessionId);

    [LoggerMessage(3201, LogLevel.Debug, "Gateway socket {SocketId} of user {UserId} resumed session {SessionId} after seq {Seq}")]
    public static partial void Resumed(ILogger logger, Guid socketId, long userId, string sessionId, long seq);

    [LoggerMessage(3202, LogLevel.Debug, "Gateway socket {SocketId} of user {UserId} could not resume: {Reason}")]
    public static partial void ResumeRefused(ILogger logger, Guid socketId, long userId, string reason);

    [LoggerMessage(3203, LogLevel.Information, "Gateway socket {SocketId} of user {UserId} closed with {Code}: {Reason}")]
    public static partial void ClosedByServer(ILogger logger, Guid socketId, long userId, int code, string reason);

    [LoggerMessage(3204, LogLevel.Error, "Delivering {EventType} to gateway sessions failed")]
    public static partial void DeliveryFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(3205, LogLevel.Debug, "Gateway session {SessionId} of user {UserId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, long userId, string reason);

    [LoggerMessage(3206, LogLevel.Debug, "Gateway socket {SocketId} sent unknown op {Op}; ignored")]
    public static partial void UnknownOp(ILogger logger, Guid socketId, string op);

    [LoggerMessage(3207, LogLevel.Information, "Gateway socket {SocketId} of user {UserId} took session {SessionId} over from another node after seq {Seq} (holder's last s {LastSeq}, holder died: {HolderDied})")]
    public static partial void TookOver(ILogger logger, Guid socketId, long userId, string sessionId, long seq, long lastSeq, bool holderDied);
}
