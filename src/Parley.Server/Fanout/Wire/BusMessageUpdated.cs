namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="MessageUpdated"/>.</summary>
public sealed record BusMessageUpdated(BusMessage Message, IReadOnlyList<long> ReadBy, BusChannel Channel) : BusEvent;
