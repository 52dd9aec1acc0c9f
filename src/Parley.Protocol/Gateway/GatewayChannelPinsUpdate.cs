using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Gateway;

/// <summary>(ext) The <c>d</c> of CHANNEL_PINS_UPDATE, Discord's dispatch for a channel whose pins changed.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="GuildId">Its workspace, or null in a DM channel.</param>
/// <param name="MessageId">(ext) The message pinned or unpinned.</param>
/// <param name="Pinned">(ext) True for a pin, false for an unpin.</param>
/// <param name="LastPinTimestamp">The time of the pin when a message was pinned; null when one was unpinned.</param>
public sealed record GatewayChannelPinsUpdate(
    long ChannelId,
    long? GuildId,
    long MessageId,
    bool Pinned,
    [property: JsonConverter(typeof(NullableUtcMillisecondsConverter))] DateTime? LastPinTimestamp);
