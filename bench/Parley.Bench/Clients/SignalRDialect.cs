using System.Text.Unicode;

namespace Parley.Bench.Clients;

/// <summary>
/// The SignalR JSON hub protocol spoken directly over a WebSocket (no negotiate, as SkipNegotiation does):
/// handshake, then invocation records, each ended by 0x1E.
/// </summary>
internal sealed class SignalRDialect : Dialect
{
    private static readonly byte[] HandshakeFrame = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] PingFrame = "{\"type\":6}\u001e"u8.ToArray();

    public override string Path => "/hub";

    public override byte[]? Handshake => HandshakeFrame;

    public override bool ExpectsGreeting => true;

    public override byte[]? Ping => PingFrame;

    public override bool IsReady(ReadOnlySpan<byte> frame) =>
        frame.IndexOf("\"error\""u8) >= 0 ? throw new InvalidOperationException("SignalR refused: " + Text(frame)) : frame.StartsWith("{}"u8);

    public override byte[] JoinFrame(int channel) =>
        System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($$"""{"type":1,"invocationId":"j","target":"JoinGroup","arguments":["c{{channel}}"]}""") + "\u001e");

    public override bool IsJoined(ReadOnlySpan<byte> frame) =>
        frame.IndexOf("\"type\":3"u8) >= 0 && frame.IndexOf("\"error\""u8) >= 0
            ? throw new InvalidOperationException("SignalR refused: " + Text(frame))
            : frame.IndexOf("\"type\":3"u8) >= 0;

    public override int WriteSend(Span<byte> destination, int channel, long id, long ticks) =>
        Utf8.TryWrite(destination, System.Globalization.CultureInfo.InvariantCulture,
            $$"""{"type":1,"target":"Send","arguments":["c{{channel}}","~{{id}}.{{ticks}}~{{Filler}}"]}{{'\u001e'}}""", out var written)
            ? written
            : throw new InvalidOperationException("Send buffer too small.");
}
