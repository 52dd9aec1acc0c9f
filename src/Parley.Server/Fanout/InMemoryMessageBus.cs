namespace Parley.Server.Fanout;

/// <summary>The single-node bus: publishing hands the event to this node's listeners directly.</summary>
public sealed class InMemoryMessageBus(IEnumerable<IChatEventListener> listeners) : IMessageBus
{
    private readonly IChatEventListener[] _listeners = [.. listeners];

    public ValueTask PublishAsync(ChatEvent chatEvent)
    {
        foreach (var listener in _listeners)
        {
            listener.OnEvent(chatEvent);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>One node: delivered here is delivered everywhere.</summary>
    public async Task<bool> PublishConfirmedAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default)
    {
        await PublishAsync(chatEvent);
        return true;
    }
}
