namespace Parley.Server.Realtime.Direct;

/// <summary>Log messages of the <c>/messagepal</c> socket.</summary>
internal static partial class DirectLog
{
    [LoggerMessage(LogEventIds.Direct + 0, LogLevel.Error, "Delivering {EventType} to /messagepal sockets failed")]
    public static partial void DeliveryFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(LogEventIds.Direct + 1, LogLevel.Debug, "Socket {SocketId} sent a /messagepal frame that is not JSON")]
    public static partial void InvalidFrame(ILogger logger, Guid socketId);

    [LoggerMessage(LogEventIds.Direct + 2, LogLevel.Debug, "Socket {SocketId} sent unknown /messagepal type {Type}")]
    public static partial void UnknownType(ILogger logger, Guid socketId, string type);

    [LoggerMessage(LogEventIds.Direct + 3, LogLevel.Debug, "User {UserId} sent direct message {MessageId} to user {RecipientId}")]
    public static partial void Sent(ILogger logger, long userId, long messageId, long recipientId);

    [LoggerMessage(LogEventIds.Direct + 4, LogLevel.Warning, "The delivery queue is full: {EventType} not delivered; its {Recipients} sockets are told to reconnect")]
    public static partial void QueueFull(ILogger logger, string eventType, int recipients);
}
