using System.Diagnostics;
using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Records end-to-end latency (receive time minus the send time carried in the message) of every delivery
/// of messages with an id at or above <c>firstRecorded</c>, into a preallocated buffer; optionally only
/// the sender's own echo (<c>senderOf</c>).
/// </summary>
internal sealed class LatencyRecorder(long firstRecorded, int capacity, int[]? senderOf = null) : IDeliverySink
{
    private readonly long[] _samples = new long[capacity];
    private int _count;
    private long _delivered;

    public int Count => Math.Min(Volatile.Read(ref _count), capacity);

    public long Delivered => Interlocked.Read(ref _delivered);

    public void OnDelivery(int client, long id, long sentTicks, long receivedTicks)
    {
        Interlocked.Increment(ref _delivered);
        if (id < firstRecorded || (senderOf is not null && (id >= senderOf.Length || senderOf[id] != client)))
        {
            return;
        }
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < capacity)
        {
            _samples[slot] = receivedTicks - sentTicks;
        }
    }

    /// <summary>p50, p99, p99.9 and max in milliseconds (NaN when nothing was recorded).</summary>
    public (double P50, double P99, double P999, double Max) Percentiles()
    {
        var count = Count;
        if (count == 0)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var sorted = _samples.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        double At(double q) => sorted[Math.Min(count - 1, (int)Math.Ceiling(q * count) - 1)] * 1000.0 / Stopwatch.Frequency;
        return (At(0.50), At(0.99), At(0.999), sorted[^1] * 1000.0 / Stopwatch.Frequency);
    }
}
