namespace Parley.Server.Fanout.Redis;

/// <summary>Log messages of the Redis scale-out.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(LogEventIds.Redis + 0, LogLevel.Warning, "Publishing {EventType} to Redis failed; other nodes will catch up from the store")]
    public static partial void PublishFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(LogEventIds.Redis + 1, LogLevel.Error, "A Redis event could not be read")]
    public static partial void BadEnvelope(ILogger logger, Exception exception);

    [LoggerMessage(LogEventIds.Redis + 2, LogLevel.Information, "Redis connection restored ({FailureType}); resynchronizing")]
    public static partial void Restored(ILogger logger, string failureType);

    [LoggerMessage(LogEventIds.Redis + 3, LogLevel.Warning, "Redis connection failed ({FailureType})")]
    public static partial void Failed(ILogger logger, string failureType);

    [LoggerMessage(LogEventIds.Redis + 4, LogLevel.Information, "Node {NodeId} is gone; removed {Entries} presence entries it held")]
    public static partial void SweptNode(ILogger logger, Guid nodeId, int entries);

    [LoggerMessage(LogEventIds.Redis + 5, LogLevel.Warning, "A scale-out background task failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogEventIds.Redis + 6, LogLevel.Warning, "The rate limiter could not reach Redis; this node's own bucket decides")]
    public static partial void RateLimiterUnavailable(ILogger logger, Exception exception);

    // Debug: it happens per dispatch during an outage, which the bus already reports (4000, 4003).
    [LoggerMessage(LogEventIds.Redis + 7, LogLevel.Debug, "Mirroring gateway session {SessionId} to Redis failed; it cannot resume on another node")]
    public static partial void GatewayMirrorWriteFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(LogEventIds.Redis + 8, LogLevel.Warning, "Reading or claiming a gateway session in Redis failed; the RESUME is refused")]
    public static partial void GatewayMirrorUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(LogEventIds.Redis + 9, LogLevel.Warning, "{Missing} of {Expected} nodes did not confirm {EventType} within {Timeout}; they catch up at their next resync")]
    public static partial void ConfirmationMissing(ILogger logger, string eventType, int missing, int expected, TimeSpan timeout);

    [LoggerMessage(LogEventIds.Redis + 10, LogLevel.Warning, "Registering this node's interests in Redis failed; they are registered again when Redis is back")]
    public static partial void InterestFailed(ILogger logger, Exception exception);
}
