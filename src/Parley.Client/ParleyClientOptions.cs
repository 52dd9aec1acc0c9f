namespace Parley.Client;

/// <summary>
/// Tunables of a <see cref="ParleyClient"/>. Every default is the one a production client should use; tests
/// shorten the delays instead of sleeping.
/// </summary>
public sealed class ParleyClientOptions
{
    /// <summary>Delay before the first reconnect attempt; it doubles after each failed attempt. Default 1 second.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between reconnect attempts. Default 30 seconds.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Random share taken off each reconnect delay, from 0 (no jitter) to 1, so that many clients dropped at
    /// once by a restart do not come back in lockstep: a delay <c>d</c> becomes a value in
    /// <c>[d × (1 − jitter), d]</c>. Default 0.2.
    /// </summary>
    public double BackoffJitter { get; set; } = 0.2;

    /// <summary>How long one WebSocket connect (TCP, upgrade) may take. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the server may take to answer a join, leave or send. Past it the connection is taken for dead
    /// and replaced (the request is sent again on the new one, which is safe: all three are idempotent).
    /// Default 30 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many sends may be on the wire at once, unanswered, on one connection; more wait in the outbox. Each
    /// carries its own <c>requestId</c> and completes with its own echo or error, and the server stores them in
    /// order. Keep it at most the server's <c>Realtime:MaxSendsInFlight</c> (32), past which the server simply
    /// reads more slowly. The web client uses the same default. Default 16.
    /// </summary>
    public int MaxSendsInFlight { get; set; } = 16;

    /// <summary>How often the client pings the server. Default 30 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a ping may go unanswered before the connection is dropped and replaced;
    /// <see cref="Timeout.InfiniteTimeSpan"/> only sends keep-alive frames without waiting for answers. Default 20 seconds.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Largest frame the client writes; match the server's <c>Realtime:MaxMessageBytes</c>. A larger send is
    /// refused at once instead of making the server close the socket (1009) again at every reconnect.
    /// Default 65,536 bytes.
    /// </summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Send the API token as <c>?token=</c> on WebSocket upgrades instead of an <c>Authorization: Bearer</c>
    /// header (for proxies that strip the header). HTTP requests always use the header. Default false.
    /// </summary>
    public bool PassTokenInQuery { get; set; }

    internal void Validate()
    {
        Positive(InitialBackoff, nameof(InitialBackoff));
        Positive(MaxBackoff, nameof(MaxBackoff));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(RequestTimeout, nameof(RequestTimeout));
        if (MaxSendsInFlight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSendsInFlight), MaxSendsInFlight, "At least one send must be allowed on the wire.");
        }
        if (MaxFrameBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameBytes), MaxFrameBytes, "Must be at least 1,024 bytes.");
        }
        if (MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException($"{nameof(MaxBackoff)} must not be shorter than {nameof(InitialBackoff)}.");
        }
        if (BackoffJitter is < 0 or > 1 || double.IsNaN(BackoffJitter))
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffJitter), BackoffJitter, "Jitter must be between 0 and 1.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}
