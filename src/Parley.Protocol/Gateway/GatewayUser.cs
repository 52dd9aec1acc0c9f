using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Gateway;

/// <summary>A user as READY shows it: the public profile, no secret.</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Username.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="Role">Profile role (a label, not a privilege).</param>
/// <param name="CreatedAt">When the account was created (UTC).</param>
public sealed record GatewayUser(
    long Id,
    string Username,
    string DisplayName,
    string Role,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime CreatedAt);
