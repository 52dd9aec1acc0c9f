using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Clients;

/// <summary>
/// Sockets bound to different loopback source addresses (127.0.0.2, 127.0.0.3, …), and HTTP invokers whose
/// sockets are: one source address has only ~28,000 ephemeral ports, so 100,000 connections to one server
/// port need several.
/// </summary>
internal static class SourceAddresses
{
    public const int Count = 32;

    private static readonly IPAddress[] Addresses = [.. Enumerable.Range(0, Count).Select(i => new IPAddress([127, 0, 0, (byte)(2 + i)]))];

    private static readonly HttpMessageInvoker[] Invokers = [.. Addresses.Select(Create)];

    public static HttpMessageInvoker For(int client) => Invokers[client % Count];

    /// <summary>A connected TCP socket (Nagle off) from <paramref name="client"/>'s source address.</summary>
    public static Task<Socket> ConnectAsync(int client, IPAddress host, int port, CancellationToken cancellationToken) =>
        ConnectAsync(Addresses[client % Count], host, port, cancellationToken);

    private static async Task<Socket> ConnectAsync(IPAddress source, IPAddress host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(host, port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static HttpMessageInvoker Create(IPAddress source) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
            new NetworkStream(await ConnectAsync(source, IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken), ownsSocket: true),
    });
}
