namespace Parley.Server.Realtime;

/// <summary>Socket settings shared by the three socket protocols, bound from the <c>Realtime</c> section.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>How often the server pings each socket. Default 30 seconds.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a ping may go unanswered before the socket is aborted (clients see 1006). Default: one
    /// <see cref="PingInterval"/>, as PROTOCOL.md says ("within the next interval").
    /// </summary>
    public TimeSpan? PingTimeout { get; set; }

    /// <summary>Largest accepted frame; larger ones close the socket with 1009. Default 65,536 bytes.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Most open sockets per user on one node; one more is closed with 4008. Default 20.</summary>
    public int MaxSocketsPerUser { get; set; } = 20;

    /// <summary>
    /// Most frames waiting in one socket's send queue. Past half of it, typing and presence events are
    /// dropped for that socket; past all of it the client is too slow and is disconnected with 4008.
    /// Default 4,096.
    /// </summary>
    public int SendQueueLimit { get; set; } = 4096;

    /// <summary>Most bytes waiting in one socket's send queue, with the same rules. Default 8 MiB.</summary>
    public long SendQueueByteLimit { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Most deliveries waiting in the <c>/messagepal</c> and in the <c>/gateway</c> hub's queue (each). A full queue
    /// means the node is far behind; the recipients of a delivery that does not fit are closed with 4008, so that
    /// they reconnect and catch up rather than miss it silently. Default 65,536.
    /// </summary>
    public int DeliveryQueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// How many of one <c>/ws/chat</c> socket's sends may be waiting for their commit while the socket's next frames
    /// are read (with a store that appends in call order; otherwise one). Default 32.
    /// </summary>
    public int MaxSendsInFlight { get; set; } = 32;

    /// <summary>
    /// How long a channel waits for a missing <c>seq</c> (published out of order, or lost on the bus) before
    /// reading it from the store. Default 250 ms.
    /// </summary>
    public TimeSpan GapFillDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How many followed channels one resync query asks the store about (their newest seq), after a bus outage and
    /// periodically with Redis: the resync costs one query per this many channels. Default 500.
    /// </summary>
    public int ResyncBatchSize { get; set; } = 500;

    /// <summary>
    /// Most user profiles (username, display name, role) a node keeps for <c>/messagepal</c> deliveries and the
    /// conversations list; past it the least recently used is dropped (a miss costs one read by primary key).
    /// Default 10,000.
    /// </summary>
    public int ProfileCacheCapacity { get; set; } = 10_000;

    /// <summary>How long a closing socket waits for the client's close frame. Default 2 seconds.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan EffectivePingTimeout => PingTimeout ?? PingInterval;
}
