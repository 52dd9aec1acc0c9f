namespace Parley.Server.Chat;

/// <summary>Log messages of the chat core (event ids 2000–2099).</summary>
internal static partial class ChatLog
{
    [LoggerMessage(2000, LogLevel.Error, "Failed to persist a message in channel {ChannelId} from user {UserId}")]
    public static partial void PersistFailed(ILogger logger, long channelId, long userId, Exception exception);

    [LoggerMessage(2001, LogLevel.Error, "Failed to publish {EventType}")]
    public static partial void PublishFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(2002, LogLevel.Error, "Failed to store the edit of message {MessageId} by user {UserId}")]
    public static partial void EditFailed(ILogger logger, long messageId, long userId, Exception exception);
}
