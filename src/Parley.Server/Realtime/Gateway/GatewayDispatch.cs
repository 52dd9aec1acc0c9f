using System.Buffers.Text;
using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// One dispatch as every recipient shares it: its <c>t</c>, the workspace it concerns (null for a DM), the
/// encoded frame up to its <c>s</c> (<c>{"t":"…","d":{…},"s":</c>), and the <see cref="Fanout.ChatEvent.EventId"/>
/// it came from. Each socket numbers dispatches itself, so only the number and the closing brace are written
/// per socket; <c>d</c> is serialized once.
/// </summary>
/// <remarks>
/// (<see cref="EventId"/>, <see cref="T"/>) identifies a dispatch across nodes: one event gives a session at most
/// one dispatch of each <c>t</c> (a new member gets GUILD_CREATE and GUILD_MEMBER_ADD from one event).
/// </remarks>
internal sealed record GatewayDispatch(string T, long? WorkspaceId, byte[] Head, Guid EventId)
{
    /// <summary>What identifies this dispatch on every node (see the remarks).</summary>
    public (Guid EventId, string T) Key => (EventId, T);

    /// <summary>This dispatch as the session mirror keeps it (the mirror knows nothing of the gateway).</summary>
    public MirroredDispatch ToMirrored() => new(T, WorkspaceId, Head, EventId);

    /// <summary>A dispatch read back from the session mirror.</summary>
    public static GatewayDispatch From(MirroredDispatch mirrored) => new(mirrored.T, mirrored.WorkspaceId, mirrored.Head, mirrored.EventId);

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
