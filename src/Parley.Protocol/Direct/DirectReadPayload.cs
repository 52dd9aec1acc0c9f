using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Direct;

/// <summary>Payload of <c>message_read</c>, sent to the reader's and the sender's sockets.</summary>
/// <param name="MessageId">The message id as a string.</param>
/// <param name="ReadBy">The reader's user id (a single id here, as in the seed system; a list in <see cref="DirectMessage"/>).</param>
/// <param name="ReadAt">When the read was stored (UTC).</param>
/// <param name="ConversationId">(ext) The conversation of the message.</param>
public sealed record DirectReadPayload(
    string MessageId,
    long ReadBy,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime ReadAt,
    string ConversationId);
