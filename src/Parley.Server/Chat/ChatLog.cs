namespace Parley.Server.Chat;

/// <summary>Log messages of the chat core.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(LogEventIds.Chat + 0, LogLevel.Error, "Failed to persist a message in channel {ChannelId} from user {UserId}")]
    public static partial void PersistFailed(ILogger logger, long channelId, long userId, Exception exception);

    [LoggerMessage(LogEventIds.Chat + 1, LogLevel.Error, "Failed to publish {EventType}")]
    public static partial void PublishFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(2002, LogLevel.Error, "Failed to store the edit of message {MessageId} by user {UserId}")]
    public static partial void EditFailed(ILogger logger, long messageId, long userId, Exception exception);
}
