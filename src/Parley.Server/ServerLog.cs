namespace Parley.Server;

/// <summary>Log messages of the server's start-up.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(LogEventIds.Server + 0, LogLevel.Information, "Parley is running: open {Address} in a browser (storage: {Storage})")]
    public static partial void Running(ILogger logger, string address, string storage);
}
