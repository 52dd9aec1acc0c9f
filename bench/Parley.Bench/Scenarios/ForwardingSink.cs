using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>Hands deliveries to a sink created after the sockets opened; drops them before that (setup traffic).</summary>
internal sealed class ForwardingSink(Func<IDeliverySink?> target) : IDeliverySink
{
    public void OnDelivery(int client, long id, long sentTicks, long receivedTicks) =>
        target()?.OnDelivery(client, id, sentTicks, receivedTicks);
}
