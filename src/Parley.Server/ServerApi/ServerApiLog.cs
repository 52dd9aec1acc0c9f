namespace Parley.Server.ServerApi;

/// <summary>Log messages of the host backend's API. They name keys, never secrets.</summary>
internal static partial class ServerApiLog
{
    [LoggerMessage(LogEventIds.ServerApi + 0, LogLevel.Warning, "A server API request to {Path} from {Address} carried no valid server key")]
    public static partial void KeyRefused(ILogger logger, string path, string address);

    [LoggerMessage(LogEventIds.ServerApi + 1, LogLevel.Debug, "Server key {KeyName}: {Method} {Path}")]
    public static partial void Request(ILogger logger, string keyName, string method, string path);

    [LoggerMessage(LogEventIds.ServerApi + 2, LogLevel.Information, "Server key {KeyName} disconnected user {UserId}")]
    public static partial void Disconnected(ILogger logger, string keyName, long userId);

    [LoggerMessage(LogEventIds.ServerApi + 3, LogLevel.Information, "Server key {KeyName} logged user {UserId} out everywhere")]
    public static partial void LoggedOut(ILogger logger, string keyName, long userId);

    [LoggerMessage(LogEventIds.ServerApi + 4, LogLevel.Information, "Server key {KeyName} {Action} user {UserId} (external id {ExternalId})")]
    public static partial void UserUpserted(ILogger logger, string keyName, string action, long userId, string externalId);

    [LoggerMessage(LogEventIds.ServerApi + 5, LogLevel.Information, "Server API keys: {KeyNames}")]
    public static partial void KeysConfigured(ILogger logger, string keyNames);
}
