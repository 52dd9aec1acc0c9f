using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Protocol.Direct;
using Parley.Protocol.Json;
using Parley.Server.Chat;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// Encodes <c>/messagepal</c> events: <c>{type, payload, timestamp}</c>, except <c>error</c> which is
/// <c>{type, message, code}</c> as in the seed system.
/// </summary>
internal static class DirectFrames
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    public static byte[] Connected(long userId, string username, string role, DateTime now) =>
        Envelope(DirectServerEventTypes.Connected, new DirectConnectedPayload(userId, username, role, now), now, Json.DirectEnvelopeDirectConnectedPayload);

    public static byte[] MessageReceived(DirectMessage message, DateTime now) =>
        Envelope(DirectServerEventTypes.MessageReceived, message, now, Json.DirectEnvelopeDirectMessage);

    public static byte[] MessageUpdated(DirectMessage message, DateTime now) =>
        Envelope(DirectServerEventTypes.MessageUpdated, message, now, Json.DirectEnvelopeDirectMessage);

    public static byte[] Typing(DirectTypingPayload payload, DateTime now) =>
        Envelope(DirectServerEventTypes.UserTyping, payload, now, Json.DirectEnvelopeDirectTypingPayload);

    public static byte[] Read(DirectReadPayload payload, DateTime now) =>
        Envelope(DirectServerEventTypes.MessageRead, payload, now, Json.DirectEnvelopeDirectReadPayload);

    public static byte[] Deleted(DirectDeletedPayload payload, DateTime now) =>
        Envelope(DirectServerEventTypes.MessageDeleted, payload, now, Json.DirectEnvelopeDirectDeletedPayload);

    public static byte[] History(string conversationId, IReadOnlyList<DirectMessage> messages, DateTime now) =>
        Envelope(DirectServerEventTypes.HistoryResponse, new DirectHistoryPayload(conversationId, messages), now, Json.DirectEnvelopeDirectHistoryPayload);

    public static byte[] Subscription(string type, string conversationId, DateTime now) =>
        Envelope(type, new DirectConversationPayload(conversationId), now, Json.DirectEnvelopeDirectConversationPayload);

    public static byte[] Error(ChatError error) => Error(error.Code, error.Message);

    public static byte[] Error(string code, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorEvent(message, code), Json.ErrorEvent);

    private static byte[] Envelope<T>(string type, T payload, DateTime now, JsonTypeInfo<DirectEnvelope<T>> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(new DirectEnvelope<T>(type, payload, now), typeInfo);

    public static readonly byte[] InvalidFormat = Error(ErrorCodes.InvalidJson, "Invalid message format");
    public static readonly byte[] Internal = Error(ErrorCodes.Internal, "Internal server error");
    public static readonly byte[] Unauthenticated = Error(ErrorCodes.Unauthorized, "Authentication required");
}
