namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="MessageDeleted"/>.</summary>
public sealed record BusMessageDeleted(long MessageId, BusChannel Channel) : BusEvent;
