using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Bench.Clients;

/// <summary>
/// Sending: one frame at a time under a lock (frames must not interleave on the wire), built in a buffer rented
/// for the send (idle sockets then own none) with the payload at <see cref="PayloadOffset"/> and the header
/// written just before it, masked in place with a fresh random key (RFC 6455 §5.3: client frames are masked).
/// </summary>
internal sealed partial class RawWsClient
{
    /// <summary>Room for the longest header a payload under 64 KiB needs: 2 bytes, a 16-bit length, the 4-byte mask key.</summary>
    private const int PayloadOffset = 8;

    /// <summary>What <see cref="Dialect.WriteSend"/> may write (its frames are under 200 bytes).</summary>
    private const int SendCapacity = 512;

    public async ValueTask SendAsync(long id)
    {
        await _sendLock.WaitAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(PayloadOffset + SendCapacity);
        try
        {
            var length = dialect.WriteSend(buffer.AsSpan(PayloadOffset, SendCapacity), Channel, id, Stopwatch.GetTimestamp());
            await SendFrameAsync(buffer, WebSocketOpcode.Text, length, CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _sendLock.Release();
        }
    }

    public async ValueTask PingAsync()
    {
        if (dialect.Ping is not { } ping || !_open)
        {
            return;
        }
        await SendPayloadAsync(WebSocketOpcode.Text, ping, CancellationToken.None);
    }

    /// <summary>Answers the server's close with the same status (best effort: the receive loop stops either way).</summary>
    private async Task TryEchoCloseAsync(int start, int length)
    {
        try
        {
            await SendPayloadAsync(WebSocketOpcode.Close, _buffer.AsMemory(start, Math.Min(2, length)), CancellationToken.None);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    /// <summary>Sends <paramref name="payload"/> as one frame; it is copied before the first await that could let the caller's buffer change.</summary>
    private async ValueTask SendPayloadAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(PayloadOffset + payload.Length);
        try
        {
            payload.Span.CopyTo(buffer.AsSpan(PayloadOffset));
            await SendFrameAsync(buffer, opcode, payload.Length, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _sendLock.Release();
        }
    }

    /// <summary>Frames and masks the <paramref name="length"/> payload bytes at <see cref="PayloadOffset"/>, then writes the frame whole.</summary>
    private async ValueTask SendFrameAsync(byte[] buffer, WebSocketOpcode opcode, int length, CancellationToken cancellationToken)
    {
        var start = WriteHeader(buffer, opcode, length);
        var end = PayloadOffset + length;
        while (start < end)
        {
            start += await Socket.SendAsync(buffer.AsMemory(start, end - start), SocketFlags.None, cancellationToken);
        }
    }

    /// <summary>Writes the header before the payload, masks the payload in place, and returns where the frame starts.</summary>
    private static int WriteHeader(Span<byte> buffer, WebSocketOpcode opcode, int length)
    {
        int start;
        if (length <= 125)
        {
            start = PayloadOffset - 6;
            buffer[start + 1] = (byte)(0x80 | length);
        }
        else if (length <= ushort.MaxValue)
        {
            start = PayloadOffset - 8;
            buffer[start + 1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(start + 2)..], (ushort)length);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The generator sends frames under 64 KiB.");
        }
        buffer[start] = (byte)(0x80 | (byte)opcode);
        var key = buffer.Slice(PayloadOffset - 4, 4);
        Random.Shared.NextBytes(key);
        Mask(buffer.Slice(PayloadOffset, length), MemoryMarshal.Read<uint>(key));
        return start;
    }

    /// <summary>XORs the payload with the key four bytes at a time; byte i takes key byte i % 4, whatever the machine's byte order.</summary>
    private static void Mask(Span<byte> payload, uint key)
    {
        var words = MemoryMarshal.Cast<byte, uint>(payload);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] ^= key;
        }
        var tail = payload[(words.Length * 4)..];
        Span<byte> keyBytes = stackalloc byte[4];
        MemoryMarshal.Write(keyBytes, in key);
        for (var i = 0; i < tail.Length; i++)
        {
            tail[i] ^= keyBytes[i];
        }
    }
}
