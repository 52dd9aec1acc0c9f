using Parley.Server.Realtime;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// The hubs' bounded delivery queue (<c>Realtime:DeliveryQueueCapacity</c>) when its delivery loop falls behind: a
/// delivery that does not fit is refused at once (the hub then closes its recipients with 4008), never queued beyond
/// the bound, never blocking the bus's caller, and what was queued leaves in order.
/// </summary>
public sealed class OrderedDeliveryQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void ADeliveryThatDoesNotFitIsRefusedWithoutWaiting()
    {
        // No loop reads: the queue is as full as it gets while the hub's loop is stuck.
        var queue = new OrderedDeliveryQueue<int>(capacity: 3);

        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.True(queue.TryEnqueue(3));
        Assert.False(queue.TryEnqueue(4));
        Assert.False(queue.TryEnqueue(5));
    }

    [Fact]
    public async Task WhatWasQueuedLeavesInOrderAndTheRefusedAreNotAmongIt()
    {
        var queue = new OrderedDeliveryQueue<int>(capacity: 2);
        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.False(queue.TryEnqueue(3));

        using var stop = new CancellationTokenSource(Timeout);
        var read = new List<int>();
        await using var reader = queue.ReadAllAsync(stop.Token).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        read.Add(reader.Current);
        // One taken by the loop: room for one more, which goes behind what is left.
        Assert.True(queue.TryEnqueue(4));
        Assert.False(queue.TryEnqueue(5));
        queue.Complete();
        while (await reader.MoveNextAsync())
        {
            read.Add(reader.Current);
        }

        Assert.Equal([1, 2, 4], read);
    }

    [Fact]
    public void ACompletedQueueRefusesEverything()
    {
        // The hub completes its queue when the node stops: later events are refused, not kept for a loop that is gone.
        var queue = new OrderedDeliveryQueue<int>(capacity: 10);
        queue.Complete();

        Assert.False(queue.TryEnqueue(1));
    }
}
