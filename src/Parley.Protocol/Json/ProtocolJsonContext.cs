using System.Text.Json.Serialization;
using Parley.Protocol.Chat;

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
[JsonSerializable(typeof(ErrorEvent))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
