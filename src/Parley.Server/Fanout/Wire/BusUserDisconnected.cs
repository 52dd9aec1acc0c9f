namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="UserDisconnected"/>.</summary>
public sealed record BusUserDisconnected(long UserId) : BusEvent;
