namespace Parley.Server.Fanout;

/// <summary>A user with at least one socket in a channel, on any node.</summary>
public sealed record OnlineUser(long UserId, string Username);
