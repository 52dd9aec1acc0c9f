using System.Buffers.Text;

namespace Parley.Bench.Clients;

/// <summary>
/// Finds every <c>~ID.TICKS~</c> marker in a received frame without parsing JSON (a SignalR frame may carry
/// several records), so the generator stays cheap whatever the contender's wire shape.
/// </summary>
internal static class Markers
{
    public static void Scan(ReadOnlySpan<byte> frame, IDeliverySink sink, int client, long receivedTicks)
    {
        while (true)
        {
            var start = frame.IndexOf((byte)'~');
            if (start < 0)
            {
                return;
            }
            frame = frame[(start + 1)..];
            if (!Utf8Parser.TryParse(frame, out long id, out var idLength) || idLength >= frame.Length || frame[idLength] != '.')
            {
                continue;
            }
            frame = frame[(idLength + 1)..];
            if (!Utf8Parser.TryParse(frame, out long ticks, out var ticksLength) || ticksLength >= frame.Length || frame[ticksLength] != '~')
            {
                continue;
            }
            frame = frame[(ticksLength + 1)..];
            sink.OnDelivery(client, id, ticks, receivedTicks);
        }
    }

    public static void Scan(ReadOnlySpan<char> text, IDeliverySink sink, int client, long receivedTicks)
    {
        var start = text.IndexOf('~');
        var dot = start < 0 ? -1 : text[start..].IndexOf('.');
        var end = dot < 0 ? -1 : text[(start + dot)..].IndexOf('~');
        if (end > 0 &&
            long.TryParse(text.Slice(start + 1, dot - 1), System.Globalization.CultureInfo.InvariantCulture, out var id) &&
            long.TryParse(text.Slice(start + dot + 1, end - 1), System.Globalization.CultureInfo.InvariantCulture, out var ticks))
        {
            sink.OnDelivery(client, id, ticks, receivedTicks);
        }
    }
}
