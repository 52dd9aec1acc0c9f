namespace Parley.Server.Sessions;

/// <summary>Log messages of credential checks for open sockets.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(LogEventIds.Session + 0, LogLevel.Debug, "Re-checked {Count} credentials of open sockets: {Ended} no longer valid, {Slid} sessions kept alive")]
    public static partial void Rechecked(ILogger logger, int count, int ended, int slid);

    [LoggerMessage(LogEventIds.Session + 1, LogLevel.Information, "The credential of open sockets is {Reason}; closing them with 4001")]
    public static partial void CredentialEnded(ILogger logger, string reason);

    [LoggerMessage(LogEventIds.Session + 2, LogLevel.Warning, "Could not re-check {Count} credentials of open sockets; retrying, and closing those past their expiry")]
    public static partial void RecheckFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(LogEventIds.Session + 3, LogLevel.Warning, "Could not extend a session kept alive by an open socket; retrying before it expires")]
    public static partial void KeepAliveFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogEventIds.Session + 4, LogLevel.Warning, "Could not check the credential of socket {SocketId} after the upgrade; closing it with 1011")]
    public static partial void SocketCheckFailed(ILogger logger, Guid socketId, Exception exception);
}
