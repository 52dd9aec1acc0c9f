namespace Parley.Server.HostIdentity;

/// <summary>Log messages of sign-in with the host's JWTs.</summary>
internal static partial class HostIdentityLog
{
    [LoggerMessage(LogEventIds.HostIdentity + 0, LogLevel.Information, "Provisioned user {UserId} ({Username}) on first sight of a host token")]
    public static partial void Provisioned(ILogger logger, long userId, string username);

    [LoggerMessage(LogEventIds.HostIdentity + 1, LogLevel.Information, "A host token was refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);
}
