using System.Net;
using System.Net.WebSockets;

namespace Parley.Client.Internal;

/// <summary>How a client authenticates its WebSocket upgrades: the session cookie, or an API token.</summary>
internal sealed class SocketCredentials(Uri serverAddress, CookieContainer cookies, Func<string?> token, bool tokenInQuery)
{
    public ClientWebSocket CreateSocket(ParleyClientOptions? options = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        if (token() is { Length: > 0 } value && !tokenInQuery)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + value);
        }
        if (options is not null)
        {
            socket.Options.KeepAliveInterval = options.KeepAliveInterval;
            socket.Options.KeepAliveTimeout = options.KeepAliveTimeout;
        }
        return socket;
    }

    /// <summary>The <c>ws://</c> or <c>wss://</c> address of <paramref name="path"/> on the server.</summary>
    public Uri SocketUri(string path)
    {
        var builder = new UriBuilder(new Uri(serverAddress, path))
        {
            Scheme = serverAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        };
        if (tokenInQuery && token() is { Length: > 0 } value)
        {
            builder.Query = "token=" + Uri.EscapeDataString(value);
        }
        return builder.Uri;
    }

    /// <summary>Connects a new socket to <paramref name="path"/> within <paramref name="timeout"/>.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string path, TimeSpan timeout, ParleyClientOptions? options, CancellationToken cancellationToken)
    {
        var socket = CreateSocket(options);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(SocketUri(path), linked.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
