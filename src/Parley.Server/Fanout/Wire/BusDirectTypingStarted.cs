namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="DirectTypingStarted"/>.</summary>
public sealed record BusDirectTypingStarted(long UserId, string Username, long RecipientId) : BusEvent;
