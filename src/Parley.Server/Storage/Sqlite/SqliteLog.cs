namespace Parley.Server.Storage.Sqlite;

/// <summary>Log messages of the SQLite store.</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(LogEventIds.Sqlite + 0, LogLevel.Error, "A SQLite write batch of {Count} writes was rolled back as a whole; every write of it not already failed fails")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);
}
