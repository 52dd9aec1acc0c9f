using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Protocol.Direct;
using Parley.Protocol.Json;
using Parley.Server.Chat;
using Parley.Server.Storage;

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

    /// <summary>The wire id of a message on this socket: the decimal form of its numeric id.</summary>
    public static string WireId(long messageId) => messageId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The conversation id of a DM channel.</summary>
    public static string ConversationOf(ChannelRecord dm) => ConversationIds.Format(dm.DmUserLow!.Value, dm.DmUserHigh!.Value);

    /// <summary>A DM-channel message with its readers in the MessagePal shape (see the overload below).</summary>
    public static DirectMessage ToDirect(MessageWithReaders message, ChannelRecord dm, string senderRole) =>
        ToDirect(message.Message, message.ReadBy, dm, senderRole);

    /// <summary>A stored DM-channel message in the MessagePal shape; the recipient is the DM user who is not the author.</summary>
    public static DirectMessage ToDirect(StoredMessage message, IReadOnlyList<long> readBy, ChannelRecord dm, string senderRole)
    {
        var recipientId = dm.DmPartnerOf(message.AuthorId);
        return new DirectMessage(
            WireId(message.Id), ConversationOf(dm), message.AuthorId, message.AuthorUsername, senderRole, recipientId,
            message.Content, message.CreatedAt, readBy, readBy.Contains(recipientId),
            message.MessageType, message.FileUrl, message.ClientMsgId, message.EditedAt);
    }

    public static readonly byte[] InvalidFormat = Error(ErrorCodes.InvalidJson, "Invalid message format");
    public static readonly byte[] Internal = Error(ErrorCodes.Internal, "Internal server error");
    public static readonly byte[] Unauthenticated = Error(ErrorCodes.Unauthorized, "Authentication required");
}
