using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Direct;

/// <summary>Payload of <c>connected</c>: the authenticated user.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="Username">The user's username.</param>
/// <param name="Role">The profile role (<c>student</c>, <c>teacher</c>, <c>parent</c>): a label, not a privilege.</param>
/// <param name="ServerTime">The server's clock (UTC), for clients that correct their own.</param>
public sealed record DirectConnectedPayload(
    long UserId,
    string Username,
    string Role,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime ServerTime);
