namespace Parley.Bench.Clients;

/// <summary>
/// How one contender is spoken to over a raw WebSocket: its path, handshake, join and send frames. Every
/// send carries the same content, <c>~ID.TICKS~</c> and a fixed sentence, so the generator finds the message
/// id and its send time in any contender's frames by scanning for the marker (see <see cref="Markers"/>).
/// </summary>
internal abstract class Dialect
{
    /// <summary>Text after the marker, so that every contender carries the same 60-odd characters of content.</summary>
    protected const string Filler = " the quick brown fox jumps over the lazy dog";

    public abstract string Path { get; }

    /// <summary>The query string for the user (Parley authenticates with <c>?token=</c>).</summary>
    public virtual string Query(int user) => "";

    /// <summary>Sent right after the upgrade (SignalR's protocol handshake).</summary>
    public virtual byte[]? Handshake => null;

    /// <summary>True when the contender greets first and <see cref="IsReady"/> must see it before joining.</summary>
    public virtual bool ExpectsGreeting => false;

    /// <summary>Keep-alive frame the client must send (SignalR closes a client silent for 30 s).</summary>
    public virtual byte[]? Ping => null;

    /// <summary>True when the frame is the greeting; throws when it is a refusal.</summary>
    public virtual bool IsReady(ReadOnlySpan<byte> frame) => true;

    public abstract byte[] JoinFrame(int channel);

    /// <summary>True when the frame acknowledges the join; throws when it is a refusal.</summary>
    public abstract bool IsJoined(ReadOnlySpan<byte> frame);

    /// <summary>Writes the send frame for message <paramref name="id"/> sent at <paramref name="ticks"/>; returns its length.</summary>
    public abstract int WriteSend(Span<byte> destination, int channel, long id, long ticks);

    /// <summary>The content alone, for clients that build their own frames (the official SignalR client).</summary>
    public static string Content(long id, long ticks) => FormattableString.Invariant($"~{id}.{ticks}~{Filler}");

    protected static string Text(ReadOnlySpan<byte> frame) => System.Text.Encoding.UTF8.GetString(frame);
}
