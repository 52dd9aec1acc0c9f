namespace Parley.Server.Sessions;

/// <summary>Log messages of credential checks for open sockets (event ids 5050–5099).</summary>
internal static partial class SessionLog
{
    [LoggerMessage(5050, LogLevel.Debug, "Re-checked {Count} credentials of open sockets: {Ended} no longer valid, {Slid} sessions kept alive")]
    public static partial void Rechecked(ILogger logger, int count, int ended, int slid);

    [LoggerMessage(5051, LogLevel.Information, "The credential of open sockets is {Reason}; closing them with 4001")]
    public static partial void CredentialEnded(ILogger logger, string reason);

    [LoggerMessage(5052, LogLevel.Warning, "Could not re-check {Count} credentials of open sockets; retrying, and closing those past their expiry")]
    public static partial void RecheckFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(5053, LogLevel.Warning, "Could not extend a session kept alive by an open socket; retrying before it expires")]
    public static partial void KeepAliveFailed(ILogger logger, Exception exception);

    [LoggerMessage(5054, LogLevel.Warning, "Could not check the credential of socket {SocketId} after the upgrade; closing it with 1011")]
    public static partial void SocketCheckFailed(ILogger logger, Guid socketId, Exception exception);
}
