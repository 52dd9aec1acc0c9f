namespace Parley.Bench;

/// <summary>What is measured: Parley (SQLite synchronous FULL, the default, or NORMAL), the SignalR peer and the Kestrel ceiling.</summary>
internal enum ContenderKind
{
    Parley,
    ParleyNormal,

    /// <summary>Parley on PostgreSQL (durable commits), in the persistence scenarios only.</summary>
    ParleyPostgres,
    SignalR,
    Kestrel,
}
