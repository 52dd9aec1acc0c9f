namespace Parley.Protocol.Gateway;

/// <summary>The <c>d</c> of GUILD_MEMBER_ADD and GUILD_MEMBER_REMOVE.</summary>
/// <param name="GuildId">The workspace.</param>
/// <param name="UserId">The user who joined or left.</param>
public sealed record GatewayGuildMember(long GuildId, long UserId);
