namespace Parley.Server.Realtime.Direct;

/// <summary>Log messages of the <c>/messagepal</c> socket (event ids 3100–3199).</summary>
internal static partial class DirectLog
{
    [LoggerMessage(3100, LogLevel.Error, "Delivering {EventType} to /messagepal sockets failed")]
    public static partial void DeliveryFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(3101, LogLevel.Debug, "Socket {SocketId} sent a /messagepal frame that is not JSON")]
    public static partial void InvalidFrame(ILogger logger, Guid socketId);

    [LoggerMessage(3102, LogLevel.Debug, "Socket {SocketId} sent unknown /messagepal type {Type}")]
    public static partial void UnknownType(ILogger logger, Guid socketId, string type);

    [LoggerMessage(3103, LogLevel.Debug, "User {UserId} sent direct message {MessageId} to user {RecipientId}")]
    public static partial void Sent(ILogger logger, long userId, long messageId, long recipientId);
}
