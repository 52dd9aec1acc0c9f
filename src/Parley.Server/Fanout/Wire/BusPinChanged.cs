namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="PinChanged"/>.</summary>
public sealed record BusPinChanged(long MessageId, BusChannel Channel, bool Pinned, long ByUserId, DateTime At) : BusEvent;
