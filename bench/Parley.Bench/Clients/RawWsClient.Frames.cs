using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Parley.Bench.Clients;

/// <summary>
/// Receiving: bytes land in <see cref="_buffer"/> after any unparsed ones, and frames are parsed where they
/// lie. Server frames are unmasked (RFC 6455 §5.1), so a payload is a slice of the buffer as received. A
/// fragmented message is joined in place: each continuation's payload is moved down to follow the ones before
/// it, over the headers (and any control frames) in between.
/// </summary>
internal sealed partial class RawWsClient
{
    /// <summary>
    /// Enough for a receive to bring dozens of the benchmark's frames. A larger frame grows the buffer (up to
    /// <see cref="MaxBufferSize"/>).
    /// </summary>
    private const int BufferSize = 16 * 1024;

    private const int MaxBufferSize = 16 * 1024 * 1024;

    private byte[]? _buffer;

    /// <summary>Where the first unparsed byte is.</summary>
    private int _consumed;

    /// <summary>Where the received bytes end.</summary>
    private int _end;

    private bool _fragmented;

    private int _fragmentStart;

    private int _fragmentLength;

    private enum FrameKind
    {
        /// <summary>More bytes are needed for the next frame.</summary>
        Incomplete,

        /// <summary>A whole text or binary message.</summary>
        Message,

        Ping,

        Close,
    }

    private bool HoldsPartialFrame => _end > _consumed || _fragmented;

    /// <summary>
    /// Parses frames from <see cref="_consumed"/> on until one needs attention: a whole message, a ping or a
    /// close, whose payload is then at <paramref name="start"/> in the buffer. Pongs are skipped; message
    /// fragments are gathered.
    /// </summary>
    private FrameKind NextFrame(out int start, out int length)
    {
        start = length = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_consumed, _end - _consumed);
            if (available.Length < 2)
            {
                return FrameKind.Incomplete;
            }
            if ((available[0] & 0x70) != 0)
            {
                throw new WebSocketException("Server set reserved bits, but no extension was negotiated.");
            }
            if ((available[1] & 0x80) != 0)
            {
                throw new WebSocketException("Server sent a masked frame.");
            }
            var final = (available[0] & 0x80) != 0;
            var opcode = (WebSocketOpcode)(available[0] & 0x0F);
            long payload = available[1] & 0x7F;
            var header = 2;
            if (payload == 126)
            {
                if (available.Length < 4)
                {
                    return FrameKind.Incomplete;
                }
                payload = BinaryPrimitives.ReadUInt16BigEndian(available[2..]);
                header = 4;
            }
            else if (payload == 127)
            {
                if (available.Length < 10)
                {
                    return FrameKind.Incomplete;
                }
                payload = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(available[2..]), long.MaxValue);
                header = 10;
                if (payload > MaxBufferSize - header)
                {
                    throw new WebSocketException($"Server sent a frame of {payload} bytes.");
                }
            }
            if (available.Length - header < payload)
            {
                return FrameKind.Incomplete;
            }
            start = _consumed + header;
            length = (int)payload;
            _consumed = start + length;
            switch (opcode)
            {
                case WebSocketOpcode.Text or WebSocketOpcode.Binary when _fragmented:
                    throw new WebSocketException("Server began a message inside a fragmented one.");
                case WebSocketOpcode.Text or WebSocketOpcode.Binary when final:
                    return FrameKind.Message;
                case WebSocketOpcode.Text or WebSocketOpcode.Binary:
                    _fragmented = true;
                    _fragmentStart = start;
                    _fragmentLength = length;
                    break;
                case WebSocketOpcode.Continuation when !_fragmented:
                    throw new WebSocketException("Server sent a continuation frame outside a message.");
                case WebSocketOpcode.Continuation:
                    _buffer.AsSpan(start, length).CopyTo(_buffer.AsSpan(_fragmentStart + _fragmentLength));
                    _fragmentLength += length;
                    if (final)
                    {
                        _fragmented = false;
                        start = _fragmentStart;
                        length = _fragmentLength;
                        return FrameKind.Message;
                    }
                    break;
                case WebSocketOpcode.Ping or WebSocketOpcode.Close when !final || length > 125:
                    throw new WebSocketException("Server sent a fragmented or oversized control frame.");
                case WebSocketOpcode.Ping:
                    return FrameKind.Ping;
                case WebSocketOpcode.Close:
                    return FrameKind.Close;
                case WebSocketOpcode.Pong:
                    break;
                default:
                    throw new WebSocketException($"Server sent unknown opcode {(int)opcode}.");
            }
        }
    }

    /// <summary>
    /// Makes room after the bytes still needed and receives into it; the caller adds the count to
    /// <see cref="_end"/> (0: the server ended the connection). Not an async method, so that a receive that
    /// has to wait costs no state-machine allocation.
    /// </summary>
    private ValueTask<int> ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        MakeRoom();
        return Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
    }

    /// <summary>
    /// Moves what is still needed (a gathered fragment, then the unparsed bytes) to the start of the buffer,
    /// renting the buffer if there is none and growing it if it is full.
    /// </summary>
    private void MakeRoom()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            _consumed = _end = 0;
            return;
        }
        var kept = 0;
        if (_fragmented)
        {
            _buffer.AsSpan(_fragmentStart, _fragmentLength).CopyTo(_buffer);
            _fragmentStart = 0;
            kept = _fragmentLength;
        }
        var unparsed = _end - _consumed;
        if (_consumed != kept)
        {
            _buffer.AsSpan(_consumed, unparsed).CopyTo(_buffer.AsSpan(kept));
        }
        _consumed = kept;
        _end = kept + unparsed;
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxBufferSize)
            {
                throw new WebSocketException($"Server sent a message larger than {MaxBufferSize} bytes.");
            }
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    /// <summary>The close frame's status and reason, formatted as <see cref="WsClient"/> reports them.</summary>
    private string DescribeClose(int start, int length)
    {
        var payload = _buffer.AsSpan(start, length);
        var status = payload.Length >= 2 ? (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(payload) : WebSocketCloseStatus.Empty;
        return status + " " + System.Text.Encoding.UTF8.GetString(payload[Math.Min(2, payload.Length)..]);
    }
}
