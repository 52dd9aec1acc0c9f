using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>A channel a user was found allowed to read.</summary>
public sealed record ChannelAccess(ChannelRecord Channel, long UserId);
