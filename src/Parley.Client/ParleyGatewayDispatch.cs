using System.Text.Json;

namespace Parley.Client;

/// <summary>One <c>/gateway</c> dispatch as it came: <c>{t, d, s}</c>.</summary>
/// <param name="T">The event name, a <see cref="Protocol.Gateway.GatewayEvents"/> value (or a newer one).</param>
/// <param name="S">The sequence number on this session (READY is 1).</param>
/// <param name="D">The event's data, raw.</param>
public sealed record ParleyGatewayDispatch(string T, long S, JsonElement D);
