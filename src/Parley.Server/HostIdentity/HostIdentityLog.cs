namespace Parley.Server.HostIdentity;

/// <summary>Log messages of sign-in with the host's JWTs (event ids 5150–5169).</summary>
internal static partial class HostIdentityLog
{
    [LoggerMessage(5150, LogLevel.Information, "Provisioned user {UserId} ({Username}) on first sight of a host token")]
    public static partial void Provisioned(ILogger logger, long userId, string username);

    [LoggerMessage(5151, LogLevel.Information, "A host token was refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);
}
