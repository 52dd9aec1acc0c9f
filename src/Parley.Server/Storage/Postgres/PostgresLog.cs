namespace Parley.Server.Storage.Postgres;

/// <summary>Log messages of the PostgreSQL store.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(LogEventIds.Postgres + 0, LogLevel.Information, "Applied PostgreSQL schema migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(LogEventIds.Postgres + 1, LogLevel.Debug, "Waiting for the PostgreSQL migration lock (another node may be migrating)")]
    public static partial void WaitingForMigrationLock(ILogger logger);

    [LoggerMessage(LogEventIds.Postgres + 2, LogLevel.Warning, "PostgreSQL refused a group of {Count} message appends ({SqlState}); running each alone")]
    public static partial void GroupRefused(ILogger logger, int count, string sqlState);

    [LoggerMessage(LogEventIds.Postgres + 3, LogLevel.Error, "A group of {Count} message appends failed")]
    public static partial void GroupFailed(ILogger logger, int count, Exception exception);
}
