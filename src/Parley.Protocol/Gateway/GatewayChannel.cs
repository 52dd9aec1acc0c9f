using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Gateway;

/// <summary>A workspace channel, as the HTTP API shows it plus <c>guildId</c> (the same value as <c>workspaceId</c>).</summary>
/// <param name="Id">Channel id.</param>
/// <param name="GuildId">The workspace id, under the gateway's name for it.</param>
/// <param name="WorkspaceId">The workspace id, under the HTTP API's name for it.</param>
/// <param name="Name">Name.</param>
/// <param name="Type"><c>text</c> or <c>announcement</c>.</param>
/// <param name="Subject">Subject, or null.</param>
/// <param name="LastSeq">The channel's newest <c>seq</c> when this was sent (0 for a new channel).</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record GatewayChannel(
    long Id,
    long? GuildId,
    long? WorkspaceId,
    string Name,
    string Type,
    string? Subject,
    long LastSeq,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime CreatedAt);
