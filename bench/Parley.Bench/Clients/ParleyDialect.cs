using System.Text.Unicode;

namespace Parley.Bench.Clients;

/// <summary>Parley's real <c>/ws/chat</c> protocol: token auth, <c>join_channel</c>, <c>send_message</c>.</summary>
internal sealed class ParleyDialect(ParleyFixture fixture) : Dialect
{
    public override string Path => "/ws/chat";

    public override string Query(int user) => "?token=" + Uri.EscapeDataString(fixture.Tokens[user]);

    public override bool ExpectsGreeting => true;

    public override bool IsReady(ReadOnlySpan<byte> frame) => Expect(frame, "\"type\":\"connected\""u8);

    public override byte[] JoinFrame(int channel) =>
        System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($$"""{"type":"join_channel","channelId":{{fixture.ChannelIds[channel]}}}"""));

    public override bool IsJoined(ReadOnlySpan<byte> frame) => Expect(frame, "\"type\":\"joined_channel\""u8);

    public override int WriteSend(Span<byte> destination, int channel, long id, long ticks) =>
        Utf8.TryWrite(destination, System.Globalization.CultureInfo.InvariantCulture,
            $$"""{"type":"send_message","channelId":{{fixture.ChannelIds[channel]}},"content":"~{{id}}.{{ticks}}~{{Filler}}"}""", out var written)
            ? written
            : throw new InvalidOperationException("Send buffer too small.");

    private static bool Expect(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> type) =>
        frame.IndexOf("\"type\":\"error\""u8) >= 0
            ? throw new InvalidOperationException("Parley refused: " + Text(frame))
            : frame.IndexOf(type) >= 0;
}
