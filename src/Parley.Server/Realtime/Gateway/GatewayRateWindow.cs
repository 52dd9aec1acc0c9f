namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// Counts a socket's frames in a sliding window (<see cref="GatewayOptions.MaxEventsPerWindow"/> per
/// <see cref="GatewayOptions.EventWindow"/>). Used from the socket's frame loop only, so not thread-safe.
/// </summary>
internal sealed class GatewayRateWindow(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Queue<long> _arrivals = new();

    /// <summary>Records one frame; false when it is one too many for the window.</summary>
    public bool TryRecord()
    {
        var now = time.GetTimestamp();
        while (_arrivals.Count > 0 && time.GetElapsedTime(_arrivals.Peek(), now) >= window)
        {
            _arrivals.Dequeue();
        }
        if (_arrivals.Count >= limit)
        {
            return false;
        }
        _arrivals.Enqueue(now);
        return true;
    }
}
