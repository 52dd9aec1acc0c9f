using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Clients;

/// <summary>
/// HTTP invokers whose sockets bind to different loopback source addresses (127.0.0.2, 127.0.0.3, …): one
/// source address has only ~28,000 ephemeral ports, so 100,000 connections to one server port need several.
/// </summary>
internal static class SourceAddresses
{
    public const int Count = 32;

    private static readonly HttpMessageInvoker[] Invokers = [.. Enumerable.Range(0, Count).Select(i => Create(new IPAddress([127, 0, 0, (byte)(2 + i)])))];

    public static HttpMessageInvoker For(int client) => Invokers[client % Count];

    private static HttpMessageInvoker Create(IPAddress source) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
