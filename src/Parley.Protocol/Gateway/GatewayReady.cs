namespace Parley.Protocol.Gateway;

/// <summary>The <c>d</c> of READY.</summary>
/// <param name="User">The identified user (never a password or secret).</param>
/// <param name="Guilds">The user's workspaces, each with its channels.</param>
/// <param name="SessionId">The id to RESUME this session with after a reconnect.</param>
public sealed record GatewayReady(GatewayUser User, IReadOnlyList<GatewayGuild> Guilds, string SessionId)
{
    /// <summary>
    /// (ext) True when the user is in more workspaces than READY lists (the first ones by id, up to the server's
    /// <c>Gateway:ReadyGuildLimit</c>): page the rest with <c>GET /api/workspaces?cursor=</c> the last guild's id.
    /// Their dispatches arrive all the same.
    /// </summary>
    public bool MoreGuilds { get; init; }
}
