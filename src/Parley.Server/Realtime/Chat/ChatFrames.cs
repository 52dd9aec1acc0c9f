using Parley.Server.Wire;
using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Protocol.Json;
using Parley.Server.Chat;
using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Chat;

/// <summary>Encodes <c>/ws/chat</c> events; bus events are encoded once and shared by every recipient.</summary>
internal static class ChatFrames
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    public static byte[] Connected(long userId, string username) =>
        JsonSerializer.SerializeToUtf8Bytes(new ConnectedEvent(userId, username), Json.ConnectedEvent);

    public static byte[] Joined(long channelId, long lastSeq) =>
        JsonSerializer.SerializeToUtf8Bytes(new JoinedChannelEvent(channelId, lastSeq), Json.JoinedChannelEvent);

    public static byte[] Left(long channelId) =>
        JsonSerializer.SerializeToUtf8Bytes(new LeftChannelEvent(channelId), Json.LeftChannelEvent);

    public static byte[] NewMessage(ChatMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(new NewMessageEvent(message, message.ChannelId), Json.NewMessageEvent);

    public static byte[] ReplayTruncated(long channelId, long skippedFrom, long skippedTo) =>
        JsonSerializer.SerializeToUtf8Bytes(new ReplayTruncatedEvent(channelId, skippedFrom, skippedTo), Json.ReplayTruncatedEvent);

    public static byte[] Error(ChatError error) => Error(error.Code, error.Message);

    public static byte[] Error(string code, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorEvent(message, code), Json.ErrorEvent);

    public static byte[] Of(MessageCreated e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e => NewMessage(e.Message.ToChatMessage([])));

    public static byte[] Of(MessageDeleted e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e =>
            JsonSerializer.SerializeToUtf8Bytes(new MessageDeletedEvent(e.MessageId, e.Channel.Id), Json.MessageDeletedEvent));

    public static byte[] Of(MessageUpdated e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e =>
            JsonSerializer.SerializeToUtf8Bytes(new MessageUpdatedEvent(e.Message.ToChatMessage(e.ReadBy)), Json.MessageUpdatedEvent));

    public static byte[] Of(PinChanged e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e => e.Pinned
            ? JsonSerializer.SerializeToUtf8Bytes(new MessagePinnedEvent(e.Channel.Id, e.MessageId, e.ByUserId, e.At), Json.MessagePinnedEvent)
            : JsonSerializer.SerializeToUtf8Bytes(new MessageUnpinnedEvent(e.Channel.Id, e.MessageId), Json.MessageUnpinnedEvent));

    public static byte[] Of(MessageRead e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e =>
            JsonSerializer.SerializeToUtf8Bytes(new MessageReadEvent(e.MessageId, e.ReaderId, e.Channel.Id), Json.MessageReadEvent));

    public static byte[] Of(TypingChanged e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e => JsonSerializer.SerializeToUtf8Bytes(
            new UserTypingEvent(e.Started ? ChatServerEventTypes.UserTyping : ChatServerEventTypes.UserStopTyping, e.UserId, e.Username, e.Channel.Id),
            Json.UserTypingEvent));

    public static byte[] Of(PresenceChanged e) =>
        e.Frames.GetOrAdd(WireShape.Chat, e, static e => JsonSerializer.SerializeToUtf8Bytes(
            new UserPresenceEvent(e.UserId, e.Username, e.Online ? "online" : "offline", e.ChannelId), Json.UserPresenceEvent));

    public static readonly byte[] InvalidJson = Error(ErrorCodes.InvalidJson, "Invalid JSON payload.");
    public static readonly byte[] Internal = Error(ErrorCodes.Internal, "Internal server error.");
    public static readonly byte[] Unauthenticated = Error(ErrorCodes.Unauthorized, "Authentication required");
}
