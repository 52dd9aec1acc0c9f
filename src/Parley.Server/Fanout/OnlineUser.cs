namespace Parley.Server.Fanout;

/// <summary>A user online in a channel (at least one socket of theirs subscribed to it, on some node).</summary>
public sealed record OnlineUser(long UserId, string Username);
