namespace Parley.Protocol.Gateway;

/// <summary>The <c>d</c> of MESSAGE_DELETE.</summary>
/// <param name="Id">The deleted message's id.</param>
/// <param name="ChannelId">Its channel.</param>
/// <param name="GuildId">Its workspace, or null in a DM channel.</param>
public sealed record GatewayMessageDelete(long Id, long ChannelId, long? GuildId);
