namespace Parley.Server.Fanout.Redis;

/// <summary>Log messages of the Redis scale-out (event ids 4000–4099).</summary>
internal static partial class RedisLog
{
    [LoggerMessage(4000, LogLevel.Warning, "Publishing {EventType} to Redis failed; other nodes will catch up from the store")]
    public static partial void PublishFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(4001, LogLevel.Error, "A Redis event could not be read")]
    public static partial void BadEnvelope(ILogger logger, Exception exception);

    [LoggerMessage(4002, LogLevel.Information, "Redis connection restored ({FailureType}); resynchronizing")]
    public static partial void Restored(ILogger logger, string failureType);

    [LoggerMessage(4003, LogLevel.Warning, "Redis connection failed ({FailureType})")]
    public static partial void Failed(ILogger logger, string failureType);

    [LoggerMessage(4004, LogLevel.Information, "Node {NodeId} is gone; removed {Entries} presence entries it held")]
    public static partial void SweptNode(ILogger logger, Guid nodeId, int entries);

    [LoggerMessage(4005, LogLevel.Warning, "A scale-out background task failed")]
    public static partial void BackgroundFailed(ILogger logger, Exception exception);

    [LoggerMessage(4006, LogLevel.Warning, "The rate limiter could not reach Redis; this node's own bucket decides")]
    public static partial void RateLimiterUnavailable(ILogger logger, Exception exception);

    // Debug: it happens per dispatch during an outage, which the bus already reports (4000, 4003).
    [LoggerMessage(4007, LogLevel.Debug, "Mirroring gateway session {SessionId} to Redis failed; it cannot resume on another node")]
    public static partial void GatewayMirrorWriteFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(4008, LogLevel.Warning, "Reading or claiming a gateway session in Redis failed; the RESUME is refused")]
    public static partial void GatewayMirrorUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(4009, LogLevel.Warning, "{Missing} of {Expected} nodes did not confirm {EventType} within {Timeout}; they catch up at their next resync")]
    public static partial void ConfirmationMissing(ILogger logger, string eventType, int missing, int expected, TimeSpan timeout);

    [LoggerMessage(4010, LogLevel.Warning, "Registering this node's interests in Redis failed; they are registered again when Redis is back")]
    public static partial void InterestFailed(ILogger logger, Exception exception);
}
