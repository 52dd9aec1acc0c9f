using System.Text.Json.Serialization;
using Parley.Protocol.Chat;
using Parley.Protocol.Direct;
using Parley.Protocol.Gateway;

namespace Parley.Protocol.Json;

/// <summary>
/// Source-generated serializers for every wire record, camelCase as the seed system's clients expect.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(List<ChatMessage>))]
[JsonSerializable(typeof(ConnectedEvent))]
[JsonSerializable(typeof(JoinedChannelEvent))]
[JsonSerializable(typeof(LeftChannelEvent))]
[JsonSerializable(typeof(NewMessageEvent))]
[JsonSerializable(typeof(UserTypingEvent))]
[JsonSerializable(typeof(UserPresenceEvent))]
[JsonSerializable(typeof(MessageReadEvent))]
[JsonSerializable(typeof(MessageDeletedEvent))]
[JsonSerializable(typeof(MessagePinnedEvent))]
[JsonSerializable(typeof(MessageUnpinnedEvent))]
[JsonSerializable(typeof(MessageUpdatedEvent))]
[JsonSerializable(typeof(ReplayTruncatedEvent))]
[JsonSerializable(typeof(ErrorEvent))]
[JsonSerializable(typeof(DirectEnvelope<DirectConnectedPayload>))]
[JsonSerializable(typeof(DirectEnvelope<DirectMessage>))]
[JsonSerializable(typeof(DirectEnvelope<DirectTypingPayload>))]
[JsonSerializable(typeof(DirectEnvelope<DirectReadPayload>))]
[JsonSerializable(typeof(DirectEnvelope<DirectDeletedPayload>))]
[JsonSerializable(typeof(DirectEnvelope<DirectHistoryPayload>))]
[JsonSerializable(typeof(DirectEnvelope<DirectConversationPayload>))]
[JsonSerializable(typeof(List<ConversationSummary>))]
[JsonSerializable(typeof(GatewayHello))]
[JsonSerializable(typeof(GatewayOpFrame))]
[JsonSerializable(typeof(GatewayReady))]
[JsonSerializable(typeof(GatewayGuild))]
[JsonSerializable(typeof(GatewayChannel))]
[JsonSerializable(typeof(GatewayMessageDelete))]
[JsonSerializable(typeof(GatewayChannelPinsUpdate))]
[JsonSerializable(typeof(GatewayGuildMember))]
[JsonSerializable(typeof(GatewayGuildDelete))]
[JsonSerializable(typeof(GatewayPresence))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
