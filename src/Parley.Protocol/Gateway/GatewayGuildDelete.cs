namespace Parley.Protocol.Gateway;

/// <summary>(ext) The <c>d</c> of GUILD_DELETE: the receiving user is no longer a member of this workspace.</summary>
/// <param name="Id">The workspace id.</param>
public sealed record GatewayGuildDelete(long Id);
