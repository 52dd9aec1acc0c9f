namespace Parley.Server.Storage.Postgres;

/// <summary>Log messages of the PostgreSQL store (event ids 4000–4099).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(4000, LogLevel.Information, "Applied PostgreSQL schema migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(4001, LogLevel.Debug, "Waiting for the PostgreSQL migration lock (another node may be migrating)")]
    public static partial void WaitingForMigrationLock(ILogger logger);
}
