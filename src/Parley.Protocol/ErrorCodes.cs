namespace Parley.Protocol;

/// <summary>
/// The closed set of <c>code</c> values an <c>error</c> event carries. None of them closes the socket:
/// the client may correct the request and go on.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The frame was not JSON, or nested deeper than 32.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>A field was missing, of the wrong type or out of range.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The event <c>type</c> is not one this socket knows.</summary>
    public const string UnknownType = "unknown_type";

    /// <summary>The channel, message, recipient or conversation does not exist (or is not visible).</summary>
    public const string NotFound = "not_found";

    /// <summary>The user may not do this (not a member, not a participant, not an admin).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The socket must join the channel first.</summary>
    public const string NotJoined = "not_joined";

    /// <summary>The per-user send bucket is empty; wait and retry.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Content or a field is longer than allowed.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Not authenticated.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The server failed (for example persistence); nothing was stored or delivered.</summary>
    public const string Internal = "internal";
}
