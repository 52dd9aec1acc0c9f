using System.Threading.Channels;

namespace Parley.Server.Realtime;

/// <summary>
/// The ordered queue between a hub's bus callback and its one delivery loop (<see cref="Direct.DirectHub"/>,
/// <see cref="Gateway.GatewayHub"/>): deliveries leave in the order they were queued, and the queue holds at most
/// <see cref="RealtimeOptions.DeliveryQueueCapacity"/> of them. When it is full the node is far behind its own
/// traffic; <see cref="TryEnqueue"/> then refuses, and the hub tells the recipients to reconnect (4008) rather than
/// lose an event without a word, or grow without bound, or block the bus.
/// </summary>
internal sealed class OrderedDeliveryQueue<T>(int capacity)
{
    private readonly Channel<T> _queue = Channel.CreateBounded<T>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>False when the queue is full (or closed); the delivery is not queued.</summary>
    public bool TryEnqueue(T delivery) => _queue.Writer.TryWrite(delivery);

    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken stopping) => _queue.Reader.ReadAllAsync(stopping);

    public void Complete() => _queue.Writer.TryComplete();
}
