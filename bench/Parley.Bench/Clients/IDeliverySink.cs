namespace Parley.Bench.Clients;

/// <summary>Told of every benchmark message a client receives; called concurrently from every receive loop.</summary>
internal interface IDeliverySink
{
    void OnDelivery(int client, long id, long sentTicks, long receivedTicks);
}
