namespace Parley.Server.Fanout;

/// <summary>
/// Something that happened which sockets may need to hear about. Events travel on the
/// <see cref="IMessageBus"/>; each protocol adapter turns them into its own wire shape, encoding each event
/// once per shape (see <see cref="EncodedFrames"/>), not once per recipient.
/// </summary>
public abstract record ChatEvent
{
    /// <summary>Per-wire-shape cache of the encoded frame, shared by every recipient of this event.</summary>
    public EncodedFrames Frames { get; } = new();

    /// <summary>The workspace concerned, or null for DM-only events (gateway routing).</summary>
    public abstract long? WorkspaceId { get; }
}
