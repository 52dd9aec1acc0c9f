namespace Parley.Protocol.Gateway;

/// <summary>The <c>d</c> of READY.</summary>
/// <param name="User">The identified user (never a password or secret).</param>
/// <param name="Guilds">The user's workspaces, each with its channels.</param>
/// <param name="SessionId">The id to RESUME this session with after a reconnect.</param>
public sealed record GatewayReady(GatewayUser User, IReadOnlyList<GatewayGuild> Guilds, string SessionId);
