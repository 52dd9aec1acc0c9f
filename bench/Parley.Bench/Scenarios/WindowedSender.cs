using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Keeps a fixed window of messages in flight per channel: a message is complete when every subscriber of
/// its channel has received it, and each completion sends the next one. Bounded by <c>capacity</c> messages.
/// </summary>
internal sealed class WindowedSender(int subscribersPerChannel, IBenchClient[][] sendersByChannel, int capacity) : IDeliverySink
{
    private readonly int[] _remaining = new int[capacity];
    private readonly int[] _channelOf = new int[capacity];
    private long _nextId;
    private long _delivered;
    private long _sendFailures;
    private volatile bool _sending;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Sent => Math.Min(Interlocked.Read(ref _nextId), capacity);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public void Start(int windowPerChannel)
    {
        _sending = true;
        for (var w = 0; w < windowPerChannel; w++)
        {
            for (var channel = 0; channel < sendersByChannel.Length; channel++)
            {
                SendNext(channel);
            }
        }
    }

    public void Stop() => _sending = false;

    /// <summary>Messages sent whose every delivery has not arrived (yet).</summary>
    public int Incomplete()
    {
        var incomplete = 0;
        for (var id = 0; id < Sent; id++)
        {
            if (Volatile.Read(ref _remaining[id]) > 0)
            {
                incomplete++;
            }
        }
        return incomplete;
    }

    public async Task DrainAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Incomplete() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public void OnDelivery(int client, long id, long sentTicks, long receivedTicks)
    {
        Interlocked.Increment(ref _delivered);
        if (id >= 0 && id < capacity && Interlocked.Decrement(ref _remaining[id]) == 0)
        {
            SendNext(_channelOf[id]);
        }
    }

    private void SendNext(int channel)
    {
        if (!_sending)
        {
            return;
        }
        var id = Interlocked.Increment(ref _nextId) - 1;
        if (id >= capacity)
        {
            _sending = false;
            return;
        }
        _remaining[id] = subscribersPerChannel;
        _channelOf[id] = channel;
        var senders = sendersByChannel[channel];
        _ = SendAsync(senders[id % senders.Length], id);
    }

    private async Task SendAsync(IBenchClient sender, long id)
    {
        try
        {
            await sender.SendAsync(id);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _sendFailures);
        }
    }
}
