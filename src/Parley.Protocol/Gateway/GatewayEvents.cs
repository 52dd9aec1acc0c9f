namespace Parley.Protocol.Gateway;

/// <summary>The <c>t</c> values of <c>/gateway</c> dispatches (<c>{t, d, s}</c>).</summary>
public static class GatewayEvents
{
    /// <summary>Answer to IDENTIFY, always <c>s</c> = 1; <c>d</c> is <see cref="GatewayReady"/>.</summary>
    public const string Ready = "READY";
    /// <summary>A message was stored; <c>d</c> is the message as in <c>/ws/chat</c>'s <c>new_message</c>.</summary>
    public const string MessageCreate = "MESSAGE_CREATE";
    /// <summary>A message was deleted; <c>d</c> is <see cref="GatewayMessageDelete"/>.</summary>
    public const string MessageDelete = "MESSAGE_DELETE";
    /// <summary>
    /// (ext) A message was edited; <c>d</c> is the message as in <c>MESSAGE_CREATE</c> (with its new content and
    /// <c>editedAt</c>) plus <c>edited_timestamp</c>, the same instant.
    /// </summary>
    public const string MessageUpdate = "MESSAGE_UPDATE";
    /// <summary>(ext) A message of a channel was pinned or unpinned; <c>d</c> is <see cref="GatewayChannelPinsUpdate"/>.</summary>
    public const string ChannelPinsUpdate = "CHANNEL_PINS_UPDATE";
    /// <summary>A channel was created; <c>d</c> is <see cref="GatewayChannel"/>.</summary>
    public const string ChannelCreate = "CHANNEL_CREATE";
    /// <summary>(ext) The user joined (or created) a workspace; <c>d</c> is <see cref="GatewayGuild"/>.</summary>
    public const string GuildCreate = "GUILD_CREATE";
    /// <summary>(ext) The user was removed from (or left) a workspace; <c>d</c> is <see cref="GatewayGuildDelete"/>.</summary>
    public const string GuildDelete = "GUILD_DELETE";
    /// <summary>Someone joined a workspace; <c>d</c> is <see cref="GatewayGuildMember"/>.</summary>
    public const string GuildMemberAdd = "GUILD_MEMBER_ADD";
    /// <summary>Someone left a workspace; <c>d</c> is <see cref="GatewayGuildMember"/>.</summary>
    public const string GuildMemberRemove = "GUILD_MEMBER_REMOVE";
    /// <summary>A user came online or went offline; <c>d</c> is <see cref="GatewayPresence"/>.</summary>
    public const string PresenceUpdate = "PRESENCE_UPDATE";
}
