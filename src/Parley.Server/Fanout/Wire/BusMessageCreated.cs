namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="MessageCreated"/>.</summary>
public sealed record BusMessageCreated(BusMessage Message, BusChannel Channel) : BusEvent;
