using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Chat;

/// <summary>A stored channel message as it appears in <c>new_message</c>, (ext) <c>message_updated</c>, history and <c>POST /api/messages</c>.</summary>
/// <param name="Id">Message id, unique across the server.</param>
/// <param name="ChannelId">The channel the message belongs to.</param>
/// <param name="AuthorId">The author's user id.</param>
/// <param name="AuthorUsername">The author's username.</param>
/// <param name="Content">The trimmed text.</param>
/// <param name="MessageType"><c>text</c>, <c>file</c> or <c>image</c>.</param>
/// <param name="FileUrl">An http(s) URL for file and image messages, else null.</param>
/// <param name="ReadBy">Ids of users who marked the message read.</param>
/// <param name="CreatedAt">When the server stored it (UTC).</param>
/// <param name="Seq">(ext) Position in the channel: 1, 2, 3, … without gaps.</param>
/// <param name="ClientMsgId">(ext) The sender's idempotency key, or null.</param>
/// <param name="EditedAt">(ext) When the author last edited it (UTC), or null when it was never edited.</param>
public sealed record ChatMessage(
    long Id,
    long ChannelId,
    long AuthorId,
    string AuthorUsername,
    string Content,
    string MessageType,
    string? FileUrl,
    IReadOnlyList<long> ReadBy,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime CreatedAt,
    long Seq,
    string? ClientMsgId,
    [property: JsonConverter(typeof(NullableUtcMillisecondsConverter))] DateTime? EditedAt);
