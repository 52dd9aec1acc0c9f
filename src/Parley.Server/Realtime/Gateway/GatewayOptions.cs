namespace Parley.Server.Realtime.Gateway;

/// <summary><c>/gateway</c> settings, bound from the <c>Gateway</c> section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// The <c>heartbeat_interval</c> announced in HELLO; a socket that sends no HEARTBEAT for 1.5 × this is
    /// closed with 4009. Default 41.25 seconds (Discord's value).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(41_250);

    /// <summary>How long a new socket may take to IDENTIFY (or RESUME) before it is closed with 4003. Default 30 seconds.</summary>
    public TimeSpan IdentifyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a session outlives its socket, buffering dispatches for a RESUME. Default 2 minutes.</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Most dispatches one session keeps for RESUME; a client that missed more re-identifies
    /// (INVALID_SESSION). Default 1,000.
    /// </summary>
    public int ResumeBufferSize { get; set; } = 1000;

    /// <summary>
    /// With several nodes, how long a RESUME of a session held by another node waits for that node to let it go
    /// before answering INVALID_SESSION. A node that died lets nothing go: the wait ends when its liveness key
    /// expires (<c>Redis:NodeExpiry</c>, 10 seconds by default), so keep this above that. Default 15 seconds.
    /// </summary>
    public TimeSpan ResumeHandoffTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest client payload; a larger one closes the socket with 4002. Default 4,096 bytes.</summary>
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>Most frames one socket may send per <see cref="EventWindow"/>; one more closes it with 4008. Default 120.</summary>
    public int MaxEventsPerWindow { get; set; } = 120;

    /// <summary>The sliding window of <see cref="MaxEventsPerWindow"/>. Default 60 seconds.</summary>
    public TimeSpan EventWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Most workspaces READY lists, the first by id; a user in more gets <c>moreGuilds</c> and pages the rest over
    /// HTTP. Keeps READY's size and the queries behind it bounded. Default 100.
    /// </summary>
    public int ReadyGuildLimit { get; set; } = 100;

    /// <summary>
    /// Most channels a guild of READY or GUILD_CREATE lists, the first by id; a workspace with more gets
    /// <c>moreChannels</c>. Default 200 (the largest page of the HTTP lists).
    /// </summary>
    public int ReadyChannelLimit { get; set; } = 200;

    /// <summary>
    /// Most sessions (live or waiting for a RESUME) one user holds on a node; past it the oldest disconnected
    /// one is dropped, so a client that reconnects in a loop cannot grow memory. Default 40.
    /// </summary>
    public int MaxSessionsPerUser { get; set; } = 40;
}
