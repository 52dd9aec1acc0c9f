namespace Parley.Server.Sessions;

/// <summary>Login session settings, bound from the <c>Sessions</c> section.</summary>
public sealed class LoginSessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>Name of the session cookie. Default <c>parley_session</c>.</summary>
    public string CookieName { get; set; } = "parley_session";

    /// <summary>Sliding lifetime: a session unused for this long expires. Default 7 days.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How stale the stored expiry may get before a request extends it. Extending on every request would
    /// turn every read into a write. Default 1 minute.
    /// </summary>
    public TimeSpan RefreshGranularity { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// True: an open socket counts as use of its session, so the session slides while the socket is open (the
    /// node extends it once half its lifetime is left) and the socket stays open. False: the socket is closed with
    /// 4001 when the session expires, unless requests slid it meanwhile. Either way no socket stays open on a
    /// session that the HTTP API would refuse. Default true.
    /// </summary>
    public bool SocketsKeepSessionsAlive { get; set; } = true;
}
