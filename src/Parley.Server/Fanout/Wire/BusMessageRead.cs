namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="MessageRead"/>.</summary>
public sealed record BusMessageRead(long MessageId, long ReaderId, long AuthorId, BusChannel Channel, DateTime ReadAt, Guid? OriginSocketId) : BusEvent;
