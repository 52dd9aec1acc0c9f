using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>Hands every delivery to two sinks, in order: one that drives the load and one that measures it.</summary>
internal sealed class TeeSink(IDeliverySink first, IDeliverySink second) : IDeliverySink
{
    public void OnDelivery(int client, long id, long sentTicks, long receivedTicks)
    {
        first.OnDelivery(client, id, sentTicks, receivedTicks);
        second.OnDelivery(client, id, sentTicks, receivedTicks);
    }
}
