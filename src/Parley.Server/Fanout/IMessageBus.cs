namespace Parley.Server.Fanout;

/// <summary>
/// Carries <see cref="ChatEvent"/>s to every node's <see cref="IChatEventListener"/>s.
/// </summary>
/// <remarks>
/// Guarantees: an event published after it was persisted reaches this node's listeners before
/// <see cref="PublishAsync"/> returns (local first), and reaches the other nodes that serve it (see
/// <see cref="IBusInterest"/>) at most once each. Delivery to
/// other nodes is best effort: a node that misses a <see cref="MessageCreated"/> detects the gap by
/// <c>seq</c> and fills it from the store, which is why messages are persisted before they are published.
/// Events from one publisher are delivered in the order they were published.
/// </remarks>
public interface IMessageBus
{
    ValueTask PublishAsync(ChatEvent chatEvent);

    /// <summary>
    /// Publishes, then waits until every other live node has delivered the event to its listeners, so that a change
    /// that must hold everywhere (a member's removal) does before the call that made it returns. Bounded by a
    /// timeout: false when some node did not confirm in time (it catches up at its next thorough resync).
    /// </summary>
    Task<bool> PublishConfirmedAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default);
}
