using Parley.Protocol.Chat;
using Parley.Server.Chat;
using Parley.Server.Storage;

namespace Parley.Server.Wire;

/// <summary>
/// A message as <c>Parley.Protocol</c>'s <see cref="ChatMessage"/>: the shape of <c>/ws/chat</c>'s events, the
/// gateway's <c>MESSAGE_CREATE</c>/<c>MESSAGE_UPDATE</c> and the HTTP API's messages. The doors map the core's records
/// here; the core answers in its own (<see cref="MessageWithReaders"/>), so a change of this shape stays on the wire side.
/// </summary>
internal static class MessageWire
{
    public static ChatMessage ToChatMessage(this MessageWithReaders message) => message.Message.ToChatMessage(message.ReadBy);

    public static ChatMessage ToChatMessage(this StoredMessage m, IReadOnlyList<long> readBy) =>
        new(m.Id, m.ChannelId, m.AuthorId, m.AuthorUsername, m.Content, m.MessageType, m.FileUrl, readBy, m.CreatedAt, m.Seq, m.ClientMsgId, m.EditedAt);
}
