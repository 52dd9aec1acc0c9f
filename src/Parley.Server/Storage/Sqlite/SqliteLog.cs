namespace Parley.Server.Storage.Sqlite;

/// <summary>Log messages of the SQLite store (event ids 5010–5019).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(5010, LogLevel.Error, "A SQLite write batch of {Count} writes was rolled back as a whole; every write of it not already failed fails")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);
}
