using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Bench.Clients;

/// <summary>
/// The client's half of the RFC 6455 opening handshake (§4.1): the HTTP/1.1 upgrade request, and the checks
/// that the response is a 101 whose <c>Sec-WebSocket-Accept</c> answers our key.
/// </summary>
internal static class WebSocketUpgrade
{
    /// <summary>Appended to the key before hashing (RFC 6455 §1.3).</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A fresh <c>Sec-WebSocket-Key</c>: 16 random bytes in base64. It only proves the server speaks WebSocket, so it need not be cryptographically random.</summary>
    public static string NewKey()
    {
        Span<byte> nonce = stackalloc byte[16];
        Random.Shared.NextBytes(nonce);
        return Convert.ToBase64String(nonce);
    }

    public static byte[] Request(string authority, string pathAndQuery, string key) => Encoding.ASCII.GetBytes(
        $"GET {pathAndQuery} HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n");

    /// <summary>The length of the response head including its blank line, or -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>Throws unless <paramref name="head"/> switches protocols and accepts <paramref name="key"/>.</summary>
    public static void Validate(ReadOnlySpan<byte> head, string key)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        if (lines[0].Split(' ') is not [_, "101", ..])
        {
            throw new WebSocketException($"Upgrade refused: {lines[0]}");
        }
        var accept = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .FirstOrDefault(field => field.Length == 2 && field[0].Trim().Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))?[1].Trim();
        if (accept != Accept(key))
        {
            throw new WebSocketException($"Upgrade answered with a wrong Sec-WebSocket-Accept: '{accept}'");
        }
    }

    // RFC 6455 §4.2.2 fixes SHA-1 here; it proves the handshake was read, it protects nothing.
    private static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + KeyGuid)));
}
