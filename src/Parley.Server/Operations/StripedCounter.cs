using System.Runtime.InteropServices;

namespace Parley.Server.Operations;

/// <summary>
/// A count bumped on the hottest path (every frame queued to every socket) and read only when metrics are
/// collected: one cache line per stripe, picked by the current processor, so that cores counting at once do
/// not fight over one line, and no instrument dispatch per increment.
/// </summary>
internal sealed class StripedCounter
{
    private readonly Stripe[] _stripes = new Stripe[Math.Max(1, Math.Min(Environment.ProcessorCount, 64))];

    public void Increment() => Interlocked.Increment(ref _stripes[Thread.GetCurrentProcessorId() % _stripes.Length].Value);

    public long Total
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _stripes.Length; i++)
            {
                total += Interlocked.Read(ref _stripes[i].Value);
            }
            return total;
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Stripe
    {
        [FieldOffset(0)]
        public long Value;
    }
}
