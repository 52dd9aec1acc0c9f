using System.Net;

namespace Parley.Client;

/// <summary>The HTTP API refused a request; <see cref="Exception.Message"/> is the server's <c>message</c>.</summary>
public sealed class ParleyApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParleyApiException(HttpStatusCode statusCode, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status: 400 bad input, 401 not logged in, 403 not allowed, 404 not found, 409 conflict, 429 too many requests.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>With 429: how long to wait before trying again, from <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; }
}
