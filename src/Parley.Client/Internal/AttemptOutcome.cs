namespace Parley.Client.Internal;

/// <summary>How the server answered one write of a request.</summary>
internal enum AttemptOutcome
{
    /// <summary>Answered; the request is complete (succeeded or failed).</summary>
    Answered,

    /// <summary>Refused with <c>rate_limited</c>: send it again after a pause.</summary>
    RetryLater,
}
