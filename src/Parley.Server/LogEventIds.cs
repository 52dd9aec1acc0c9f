namespace Parley.Server;

/// <summary>
/// Where each area's log event ids start: one block of 100 per area, so that an id names its area in any log query
/// and two areas can never collide. Each area's log class numbers its messages from its block's start (block + 0,
/// + 1, …); a test holds every message to its class's block and every id to one message.
/// </summary>
internal static class LogEventIds
{
    public const int Server = 100;
    public const int Http = 1000;
    public const int Chat = 2000;
    public const int Realtime = 3000;
    public const int Direct = 3100;
    public const int Gateway = 3200;
    public const int Redis = 4000;
    public const int Postgres = 4100;
    public const int Sqlite = 4200;
    public const int Session = 5000;
    public const int HostIdentity = 5100;
    public const int ServerApi = 5200;

    /// <summary>The ids of one block.</summary>
    public const int BlockSize = 100;
}
