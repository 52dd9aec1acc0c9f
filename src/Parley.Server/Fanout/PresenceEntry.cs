namespace Parley.Server.Fanout;

/// <summary>One socket of a user subscribed to a channel, with what an offline announcement needs.</summary>
public sealed record PresenceEntry(long ChannelId, long? WorkspaceId, long UserId, string Username, Guid SocketId);
