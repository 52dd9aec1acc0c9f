using Parley.Protocol.Chat;

namespace Parley.Client;

/// <summary>The server answered a socket request (join, leave, send) with an <c>error</c> event.</summary>
public sealed class ParleyRequestException : Exception
{
    /// <summary>Creates the exception from the server's error event.</summary>
    public ParleyRequestException(ErrorEvent error)
        : base(error.Message)
    {
        Error = error;
    }

    /// <summary>The error event as the server sent it.</summary>
    public ErrorEvent Error { get; }

    /// <summary>The error's code, one of <see cref="Protocol.ErrorCodes"/>.</summary>
    public string Code => Error.Code;
}
