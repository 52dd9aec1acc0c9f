using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A WebSocket peer at the TCP level that does the upgrade handshake and then never answers anything:
/// the kind of dead or hostile peer a ClientWebSocket cannot imitate (it answers pings by itself).
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly TcpClient _tcp;

    private RawWebSocket(TcpClient tcp) => _tcp = tcp;

    public NetworkStream Stream => _tcp.GetStream();

    public static async Task<RawWebSocket> ConnectAsync(IServerEndpoint server, string path, string cookieHeader)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {path} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nCookie: {cookieHeader}\r\n\r\n";
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("Connection closed during the handshake.");
            }
            header.Append((char)one[0]);
        }
        if (!header.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException($"Upgrade refused: {header}");
        }
        return new RawWebSocket(tcp);
    }

    /// <summary>Reads (without ever answering) until the server ends the TCP connection; false on timeout.</summary>
    public async Task<bool> WaitForServerToDropAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _tcp.Dispose();
}
