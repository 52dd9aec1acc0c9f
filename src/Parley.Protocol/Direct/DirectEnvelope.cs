using System.Text.Json.Serialization;
using Parley.Protocol.Json;

namespace Parley.Protocol.Direct;

/// <summary>Every <c>/messagepal</c> server event except <c>error</c>: <c>{type, payload, timestamp}</c>.</summary>
/// <typeparam name="TPayload">The event's payload record.</typeparam>
/// <param name="Type">A <see cref="DirectServerEventTypes"/> value.</param>
/// <param name="Payload">The event's fields.</param>
/// <param name="Timestamp">When the server sent (or, for broadcasts, encoded) the event (UTC).</param>
public sealed record DirectEnvelope<TPayload>(
    string Type,
    TPayload Payload,
    [property: JsonConverter(typeof(UtcMillisecondsConverter))] DateTime Timestamp);
