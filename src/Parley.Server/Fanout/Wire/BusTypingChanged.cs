namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="TypingChanged"/>.</summary>
public sealed record BusTypingChanged(long UserId, string Username, BusChannel Channel, bool Started) : BusEvent;
