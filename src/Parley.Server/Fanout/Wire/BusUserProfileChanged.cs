namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="UserProfileChanged"/>.</summary>
public sealed record BusUserProfileChanged(long UserId) : BusEvent;
