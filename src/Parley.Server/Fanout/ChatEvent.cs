namespace Parley.Server.Fanout;

/// <summary>
/// Something that happened which sockets may need to hear about. Events travel on the
/// <see cref="IMessageBus"/>; each protocol adapter turns them into its own wire shape, encoding each event
/// once per shape (see <see cref="EncodedFrames"/>), not once per recipient.
/// </summary>
/// <remarks>Not what travels between nodes: the bus maps each event to its own wire record (<see cref="Wire.BusEventMapping"/>).</remarks>
public abstract record ChatEvent
{
    /// <summary>Per-wire-shape cache of the encoded frame, shared by every recipient of this event.</summary>
    public EncodedFrames Frames { get; } = new();

    /// <summary>
    /// Unique per event and carried between nodes, so that a node taking over a gateway session can tell the
    /// dispatches the old node already numbered from new ones (see <see cref="GatewaySessionClaimed"/>).
    /// </summary>
    public Guid EventId { get; init; } = Guid.NewGuid();

    /// <summary>The workspace concerned, or null for DM-only events (gateway routing).</summary>
    public abstract long? WorkspaceId { get; }
}
