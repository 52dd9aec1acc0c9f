namespace Parley.Client;

/// <summary>Where a <see cref="ParleyClient"/>'s <c>/ws/chat</c> connection stands.</summary>
public enum ParleyConnectionState
{
    /// <summary>Not connected and not trying: before <see cref="ParleyClient.ConnectAsync"/> or after <see cref="ParleyClient.DisconnectAsync"/>.</summary>
    Disconnected,

    /// <summary>The first connection is being opened.</summary>
    Connecting,

    /// <summary>Connected and authenticated (the server sent <c>connected</c>).</summary>
    Connected,

    /// <summary>The connection was lost; the client waits out its backoff and tries again.</summary>
    Reconnecting,

    /// <summary>
    /// The server closed the connection with a code after which a client must not reconnect (4001: not
    /// authenticated, logged out, session revoked). Log in again, then call <see cref="ParleyClient.ConnectAsync"/>.
    /// </summary>
    Closed,
}
