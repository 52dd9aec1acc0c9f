using System.Text.Unicode;

namespace Parley.Bench.Clients;

/// <summary>The ceiling's protocol: the first frame names the group ("joined" answers), every later frame is broadcast as is.</summary>
internal sealed class KestrelDialect : Dialect
{
    public override string Path => "/ws";

    public override byte[] JoinFrame(int channel) => System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($"c{channel}"));

    public override bool IsJoined(ReadOnlySpan<byte> frame) => frame.SequenceEqual("joined"u8);

    public override int WriteSend(Span<byte> destination, int channel, long id, long ticks) =>
        Utf8.TryWrite(destination, System.Globalization.CultureInfo.InvariantCulture, $"~{id}.{ticks}~{Filler}", out var written)
            ? written
            : throw new InvalidOperationException("Send buffer too small.");
}
