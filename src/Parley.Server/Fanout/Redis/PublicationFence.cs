namespace Parley.Server.Fanout.Redis;

/// <summary>
/// Lets one publication wait for every publication already between its local delivery and its hand-off to
/// Redis, so that anything this node delivered locally before a given moment reaches Redis before what is
/// published after that moment.
/// </summary>
/// <remarks>
/// A publication delivers to this node's listeners first and sends to Redis right after, on the caller's
/// thread; two threads can interleave those steps. The gateway hand-off needs "delivered here before the
/// claiming session was registered" to imply "on Redis before the claim", so the claim waits for the
/// publications in flight (<see cref="WaitForInFlightAsync"/>). Publications count themselves in one of two
/// epochs; a waiter moves the epoch on and waits for the old one to drain, so it never waits for a
/// publication that started after it, and the cost per publication is two interlocked operations.
/// </remarks>
internal sealed class PublicationFence
{
    private readonly int[] _inFlight = new int[2];
    private readonly SemaphoreSlim _waiter = new(1, 1);
    private int _epoch;

    /// <summary>Call before delivering locally; pass the result to <see cref="Exit"/> once sent to Redis.</summary>
    public int Enter()
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _epoch);
            Interlocked.Increment(ref _inFlight[epoch & 1]);
            // Counted in the epoch only if it did not move meanwhile: a waiter that moved it may already have
            // seen that epoch drained. Retrying in the new epoch is right, since we deliver after the move.
            if (Volatile.Read(ref _epoch) == epoch)
            {
                return epoch;
            }
            Interlocked.Decrement(ref _inFlight[epoch & 1]);
        }
    }

    public void Exit(int epoch) => Interlocked.Decrement(ref _inFlight[epoch & 1]);

    /// <summary>Completes when every publication that entered before this call has exited.</summary>
    public async Task WaitForInFlightAsync(CancellationToken cancellationToken)
    {
        // One waiter at a time, so that the epoch parity being drained is not reused before it is drained.
        await _waiter.WaitAsync(cancellationToken);
        try
        {
            var previous = Interlocked.Increment(ref _epoch) - 1;
            while (Volatile.Read(ref _inFlight[previous & 1]) != 0)
            {
                // A publication is in flight for microseconds, unless Redis writes block; claims are rare, so a
                // millisecond's sleep costs nothing and burns no CPU while a write is stuck.
                await Task.Delay(1, cancellationToken);
            }
        }
        finally
        {
            _waiter.Release();
        }
    }
}
