using System.Buffers.Binary;

namespace Parley.Server.Realtime;

/// <summary>
/// The header of a final, unmasked text frame (RFC 6455 §5.2), the only kind of data frame the server sends.
/// Written by hand so that frames can be batched straight onto the transport.
/// </summary>
internal static class WebSocketFrameHeader
{
    private const byte FinalText = 0x81;

    public static int SizeFor(int payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes the header for a payload of <paramref name="payloadLength"/> bytes; returns its size.</summary>
    public static int Write(Span<byte> destination, int payloadLength)
    {
        destination[0] = FinalText;
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }
        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }
        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }
}
