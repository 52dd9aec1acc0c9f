namespace Parley.Server.Fanout;

/// <summary>
/// Something that keeps state from bus events and can rebuild it from the store, for when this node may
/// have missed publications (Redis unreachable, restarted, or this node reconnecting to it).
/// </summary>
public interface IBusGapRecovery
{
    /// <summary>Catches up from the store; returns corrective events to deliver to this node's listeners.</summary>
    Task<IReadOnlyList<ChatEvent>> RecoverAsync(BusRecovery kind, CancellationToken cancellationToken);
}
