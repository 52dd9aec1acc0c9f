namespace Parley.Server;

/// <summary>Log messages of the server's start-up (event ids 100–199).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Information, "Parley is running: open {Address} in a browser (storage: {Storage})")]
    public static partial void Running(ILogger logger, string address, string storage);
}
