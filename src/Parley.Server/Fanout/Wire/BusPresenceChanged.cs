namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="PresenceChanged"/>.</summary>
public sealed record BusPresenceChanged(long UserId, string Username, long ChannelId, long? ChannelWorkspaceId, bool Online) : BusEvent;
