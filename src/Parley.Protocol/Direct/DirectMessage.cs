using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Direct;

/// <summary>
/// A direct message as <c>/messagepal</c> shows it (payload of <c>message_received</c> and (ext) <c>message_updated</c>, items of
/// <c>history_response</c>, <c>lastMessage</c> of a conversation summary). It is the same stored message as the
/// DM channel's <c>new_message</c> on <c>/ws/chat</c>, with the id as a decimal string.
/// </summary>
/// <param name="Id">The message id as a string (the decimal form of the numeric id).</param>
/// <param name="ConversationId"><c>conv_{smaller user id}_{larger user id}</c>.</param>
/// <param name="SenderId">The author's user id.</param>
/// <param name="SenderName">The author's username.</param>
/// <param name="SenderRole">The author's profile role.</param>
/// <param name="RecipientId">The other user of the conversation.</param>
/// <param name="Content">The trimmed text.</param>
/// <param name="Timestamp">When the server stored it (UTC).</param>
/// <param name="ReadBy">Ids of users who marked the message read.</param>
/// <param name="IsRead">Whether the recipient has read it.</param>
/// <param name="MessageType">(ext) <c>text</c>, <c>file</c> or <c>image</c> (file messages come from <c>/ws/chat</c> or HTTP).</param>
/// <param name="FileUrl">(ext) The file's http(s) URL, else null.</param>
/// <param name="ClientMsgId">(ext) The sender's idempotency key, or null.</param>
/// <param name="EditedAt">(ext) When the sender last edited it (UTC), or null when never edited.</param>
public sealed record DirectMessage(
    string Id,
    string ConversationId,
    long SenderId,
    string SenderName,
    string SenderRole,
    long RecipientId,
    string Content,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime Timestamp,
    IReadOnlyList<long> ReadBy,
    bool IsRead,
    string MessageType,
    string? FileUrl,
    string? ClientMsgId,
    [property: JsonConverter(typeof(NullableUtcMillisecondsConverter))] DateTime? EditedAt);
