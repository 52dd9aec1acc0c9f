namespace Parley.Server.Storage;

/// <summary>Storage settings, bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>. The connection string is <c>ConnectionStrings:Chat</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// SQLite's <c>synchronous</c> pragma: <c>FULL</c> (default: a commit survives power loss) or <c>NORMAL</c>
    /// (survives a process crash, not power loss; faster on slow disks).
    /// </summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// Most writes committed together in one transaction (group commit): every SQLite write, and PostgreSQL's message
    /// appends (one batch, one round trip). Default 256.
    /// </summary>
    public int MaxWriteBatch { get; set; } = 256;

    /// <summary>
    /// Most writes waiting for the store's writer (SQLite: every write; PostgreSQL: message appends) before a new
    /// one has to wait for room. A write that waits is queued in the order it came, so one caller's writes keep
    /// their order; its caller just waits longer (a socket stops reading at <c>Realtime:MaxSendsInFlight</c>). Default 4096.
    /// </summary>
    public int MaxQueuedWrites { get; set; } = 4096;
}
