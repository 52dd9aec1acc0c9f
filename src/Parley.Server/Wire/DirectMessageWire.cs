using System.Globalization;
using Parley.Protocol.Direct;
using Parley.Server.Chat;
using Parley.Server.Storage;

namespace Parley.Server.Wire;

/// <summary>
/// A DM-channel message in MessagePal's shape (<see cref="DirectMessage"/>) and the ids that shape carries: what
/// <c>/messagepal</c> sends and what <c>GET /api/messagepal/conversations</c> lists as each conversation's last message,
/// mapped once here so that the HTTP door does not go through the socket's encoder.
/// </summary>
internal static class DirectMessageWire
{
    /// <summary>The wire id of a message in MessagePal's shape: the decimal form of its numeric id.</summary>
    public static string WireId(long messageId) => messageId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The conversation id of a DM channel.</summary>
    public static string ConversationOf(ChannelRecord dm) => ConversationIds.Format(dm.DmUserLow!.Value, dm.DmUserHigh!.Value);

    /// <summary>A DM-channel message with its readers in MessagePal's shape (see the overload below).</summary>
    public static DirectMessage ToDirectMessage(this MessageWithReaders message, ChannelRecord dm, string senderRole) =>
        message.Message.ToDirectMessage(message.ReadBy, dm, senderRole);

    /// <summary>A stored DM-channel message in MessagePal's shape; the recipient is the DM user who is not the author.</summary>
    public static DirectMessage ToDirectMessage(this StoredMessage message, IReadOnlyList<long> readBy, ChannelRecord dm, string senderRole)
    {
        var recipientId = dm.DmPartnerOf(message.AuthorId);
        return new DirectMessage(
            WireId(message.Id), ConversationOf(dm), message.AuthorId, message.AuthorUsername, senderRole, recipientId,
            message.Content, message.CreatedAt, readBy, readBy.Contains(recipientId),
            message.MessageType, message.FileUrl, message.ClientMsgId, message.EditedAt);
    }
}
