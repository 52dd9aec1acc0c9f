namespace Parley.Server.Fanout;

/// <summary>
/// A protocol adapter's entry point for events from the bus. Called synchronously and in publish order;
/// implementations must not block (they enqueue into sockets' send queues).
/// </summary>
public interface IChatEventListener
{
    void OnEvent(ChatEvent chatEvent);
}
