namespace Parley.Server.Fanout;

/// <summary>
/// Tells the bus what this node serves, so that other nodes send it only those events (see
/// <c>RedisBusInterest</c>). The membership index calls it under its own lock, in the order its state changes;
/// implementations must only queue the change, never block.
/// </summary>
public interface IBusInterest
{
    /// <summary>From now on this node wants the events of <paramref name="interest"/>.</summary>
    void Add(BusInterest interest);

    /// <summary>This node no longer serves <paramref name="interest"/>.</summary>
    void Remove(BusInterest interest);

    /// <summary>
    /// Completes when every <see cref="Add"/> made so far holds for publishers (false when it could not be made to,
    /// e.g. the bus is down: it is made again when the bus is back). Awaited before a socket's first store read.
    /// </summary>
    Task<bool> RegisteredAsync();
}
