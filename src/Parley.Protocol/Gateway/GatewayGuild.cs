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
public sealed record GatewayGuild(
    long Id,
    string Name,
    string? Description,
    long OwnerId,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime CreatedAt,
    IReadOnlyList<GatewayChannel> Channels);
