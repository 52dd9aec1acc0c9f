namespace Parley.Server.ServerApi;

/// <summary>Log messages of the host backend's API (event ids 5170–5199). They name keys, never secrets.</summary>
internal static partial class ServerApiLog
{
    [LoggerMessage(5170, LogLevel.Warning, "A server API request to {Path} from {Address} carried no valid server key")]
    public static partial void KeyRefused(ILogger logger, string path, string address);

    [LoggerMessage(5171, LogLevel.Debug, "Server key {KeyName}: {Method} {Path}")]
    public static partial void Request(ILogger logger, string keyName, string method, string path);

    [LoggerMessage(5172, LogLevel.Information, "Server key {KeyName} disconnected user {UserId}")]
    public static partial void Disconnected(ILogger logger, string keyName, long userId);

    [LoggerMessage(5173, LogLevel.Information, "Server key {KeyName} logged user {UserId} out everywhere")]
    public static partial void LoggedOut(ILogger logger, string keyName, long userId);

    [LoggerMessage(5174, LogLevel.Information, "Server key {KeyName} {Action} user {UserId} (external id {ExternalId})")]
    public static partial void UserUpserted(ILogger logger, string keyName, string action, long userId, string externalId);

    [LoggerMessage(5175, LogLevel.Information, "Server API keys: {KeyNames}")]
    public static partial void KeysConfigured(ILogger logger, string keyNames);
}
