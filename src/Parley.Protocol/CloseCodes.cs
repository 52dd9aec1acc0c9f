namespace Parley.Protocol;

/// <summary>
/// WebSocket close codes Parley sends, defined once. Each says whether a client should reconnect.
/// </summary>
public static class CloseCodes
{
    /// <summary>Server is shutting down or restarting (1001). Reconnect with backoff.</summary>
    public const int GoingAway = 1001;

    /// <summary>A binary frame was sent; Parley speaks JSON text only (1003). Do not reconnect with the same client.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>The frame was not valid UTF-8 (1007). A client bug: do not reconnect blindly.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>The frame exceeded <c>Realtime:MaxMessageBytes</c> (1009). A client bug: do not reconnect blindly.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>An unexpected server error (1011). Reconnect with backoff.</summary>
    public const int InternalError = 1011;

    /// <summary>Not authenticated, logged out or session revoked (4001). Do NOT reconnect; log in again.</summary>
    public const int Unauthorized = 4001;

    /// <summary>Gateway: a payload over 4096 bytes or not JSON (4002). Reconnect after fixing the client.</summary>
    public const int DecodeError = 4002;

    /// <summary>Gateway: an op before IDENTIFY, or no IDENTIFY in time (4003). Reconnect and identify first.</summary>
    public const int NotAuthenticated = 4003;

    /// <summary>Gateway: a second IDENTIFY on one socket (4005). Reconnect.</summary>
    public const int AlreadyAuthenticated = 4005;

    /// <summary>
    /// Too many connections for the user, too many gateway events, or a client too slow to read its
    /// messages (4008). Reconnect with backoff; a slow client then resumes with <c>since</c>.
    /// </summary>
    public const int RateLimited = 4008;

    /// <summary>Gateway: heartbeat missed (4009). Reconnect and RESUME.</summary>
    public const int SessionTimedOut = 4009;

    /// <summary>
    /// The host's backend disconnected the user (<c>POST /api/server/users/:id/disconnect</c>) (4010). The client may
    /// reconnect (with backoff); the host decides whether it lets the user back in.
    /// </summary>
    public const int DisconnectedByServer = 4010;

    /// <summary>
    /// The host's JWT the socket was opened with has expired (4011). Reconnect at once with a fresh token; a gateway
    /// client RESUMEs, so no dispatch is lost.
    /// </summary>
    public const int TokenExpired = 4011;

    /// <summary>
    /// Whether a client should reconnect after the socket closed with <paramref name="code"/>: not after 4001 (log in
    /// again), nor after 1003, 1007 or 1009, which the same client would only provoke again.
    /// </summary>
    public static bool ShouldReconnect(int code) => code is not (Unauthorized or UnsupportedData or InvalidPayload or MessageTooBig);
}
