namespace Parley.Protocol.Gateway;

/// <summary>The <c>d</c> of PRESENCE_UPDATE.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Status"><c>online</c> (their first socket joined the channel) or <c>offline</c> (their last left it).</param>
/// <param name="GuildId">(ext) The workspace of the channel.</param>
/// <param name="ChannelId">(ext) The channel where the user's presence changed.</param>
public sealed record GatewayPresence(long UserId, string Status, long GuildId, long ChannelId);
