using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Gateway;

/// <summary>A workspace ("guild") with its channels, in READY and GUILD_CREATE.</summary>
/// <param name="Id">Workspace id.</param>
/// <param name="Name">Name.</param>
/// <param name="Description">Description, or null.</param>
/// <param name="OwnerId">The owner's user id.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="Channels">Its channels, oldest first.</param>
/// <param name="Presences">
/// (ext) Who is online in its channels at the moment of READY: one entry per (user, channel), as PRESENCE_UPDATE
/// would have said it (as Discord sends presences with the guild). Empty in GUILD_CREATE; PRESENCE_UPDATE follows.
/// </param>
public sealed record GatewayGuild(
    long Id,
    string Name,
    string? Description,
    long OwnerId,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime CreatedAt,
    IReadOnlyList<GatewayChannel> Channels,
    IReadOnlyList<GatewayPresence>? Presences = null)
{
    /// <summary>(ext) Who is online in its channels at READY; never null (empty when absent).</summary>
    public IReadOnlyList<GatewayPresence> Presences { get; init; } = Presences ?? [];

    /// <summary>
    /// (ext) True when the workspace has more channels than listed (the first ones by id, up to the server's
    /// <c>Gateway:ReadyChannelLimit</c>): page the rest with <c>GET /api/workspaces/:id/channels?cursor=</c> the last
    /// channel's id.
    /// </summary>
    public bool MoreChannels { get; init; }
}
