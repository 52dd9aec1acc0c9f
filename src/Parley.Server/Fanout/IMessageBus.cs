namespace Parley.Server.Fanout;

/// <summary>
/// Carries <see cref="ChatEvent"/>s to every node's <see cref="IChatEventListener"/>s.
/// </summary>
/// <remarks>
/// Guarantees: an event published after it was persisted reaches this node's listeners before
/// <see cref="PublishAsync"/> returns (local first), and reaches other nodes at most once each. Delivery to
/// other nodes is best effort: a node that misses a <see cref="MessageCreated"/> detects the gap by
/// <c>seq</c> and fills it from the store, which is why messages are persisted before they are published.
/// Events from one publisher are delivered in the order they were published.
/// </remarks>
public interface IMessageBus
{
    ValueTask PublishAsync(ChatEvent chatEvent);
}
