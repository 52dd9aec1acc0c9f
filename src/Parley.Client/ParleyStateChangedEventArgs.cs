namespace Parley.Client;

/// <summary>Raised by <see cref="ParleyClient.StateChanged"/>: the new state and, after a lost connection, why it was lost.</summary>
public sealed class ParleyStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public ParleyStateChangedEventArgs(ParleyConnectionState state, int? closeStatus = null, string? closeDescription = null, Exception? error = null, TimeSpan? retryDelay = null)
    {
        State = state;
        CloseStatus = closeStatus;
        CloseDescription = closeDescription;
        Error = error;
        RetryDelay = retryDelay;
    }

    /// <summary>The state the client is now in.</summary>
    public ParleyConnectionState State { get; }

    /// <summary>
    /// The close code of the connection that ended (for example 1001 server restart, 4001 unauthorized; see
    /// <see cref="Protocol.CloseCodes"/>), or null when it dropped without a close frame or never opened.
    /// </summary>
    public int? CloseStatus { get; }

    /// <summary>The server's close reason, if any.</summary>
    public string? CloseDescription { get; }

    /// <summary>The transport failure that ended or prevented the connection, if any.</summary>
    public Exception? Error { get; }

    /// <summary>In <see cref="ParleyConnectionState.Reconnecting"/>: how long the client waits before the next attempt.</summary>
    public TimeSpan? RetryDelay { get; }
}
