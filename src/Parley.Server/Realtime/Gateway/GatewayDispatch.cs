using System.Buffers.Text;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// One dispatch as every recipient shares it: its <c>t</c>, the workspace it concerns (null for a DM), and
/// the encoded frame up to its <c>s</c> (<c>{"t":"…","d":{…},"s":</c>). Each socket numbers dispatches
/// itself, so only the number and the closing brace are written per socket; <c>d</c> is serialized once.
/// </summary>
internal sealed record GatewayDispatch(string T, long? WorkspaceId, byte[] Head)
{
    /// <summary>The whole frame with sequence number <paramref name="seq"/>.</summary>
    public byte[] Frame(long seq)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, digits, out var length);
        var frame = new byte[Head.Length + length + 1];
        Head.CopyTo(frame, 0);
        digits[..length].CopyTo(frame.AsSpan(Head.Length));
        frame[^1] = (byte)'}';
        return frame;
    }
}
