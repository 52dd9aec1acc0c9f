namespace Parley.Client.Internal;

/// <summary>The socket requests that get an answer (an event or an error), and so go through the outbox.</summary>
internal enum RequestKind
{
    Join,
    Leave,
    Send,
}
