namespace Parley.Server.Storage.Postgres;

/// <summary>Log messages of the PostgreSQL store (event ids 4100–4199).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(4100, LogLevel.Information, "Applied PostgreSQL schema migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(4101, LogLevel.Debug, "Waiting for the PostgreSQL migration lock (another node may be migrating)")]
    public static partial void WaitingForMigrationLock(ILogger logger);

    [LoggerMessage(4102, LogLevel.Warning, "PostgreSQL refused a group of {Count} message appends ({SqlState}); running each alone")]
    public static partial void GroupRefused(ILogger logger, int count, string sqlState);

    [LoggerMessage(4103, LogLevel.Error, "A group of {Count} message appends failed")]
    public static partial void GroupFailed(ILogger logger, int count, Exception exception);
}
