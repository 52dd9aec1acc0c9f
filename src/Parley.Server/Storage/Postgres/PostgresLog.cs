namespace Parley.Server.Storage.Postgres;

/// <summary>Log messages of the PostgreSQL store (event ids 4100–4199).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(4100, LogLevel.Information, "Applied PostgreSQL schema migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(4101, LogLevel.Debug, "Waiting for the PostgreSQL migration lock (another node may be migrating)")]
    public static partial void WaitingForMigrationLock(ILogger logger);
}
