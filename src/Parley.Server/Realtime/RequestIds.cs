using System.Text.Json;
using Parley.Server.Chat;

namespace Parley.Server.Realtime;

/// <summary>
/// <b>(ext)</b> The <c>requestId</c> a client may put on a frame, copied onto the frames that answer it on the asking
/// socket only. A frame without one is answered exactly as before, byte for byte.
/// </summary>
internal static class RequestIds
{
    public const int MaxLength = 64;

    public static readonly ChatError Invalid = ChatError.BadRequest($"requestId must be a string of 1 to {MaxLength} characters.");

    private static readonly byte[] FieldPrefix = ",\"requestId\":\""u8.ToArray();

    /// <summary>
    /// The frame's <c>requestId</c>: null when absent; false when present but not a string of 1 to
    /// <see cref="MaxLength"/> characters (a JSON <c>null</c> included), in which case the frame is not handled.
    /// </summary>
    public static bool TryRead(JsonElement frame, out string? requestId)
    {
        requestId = null;
        if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("requestId", out var field))
        {
            return true;
        }
        if (field.ValueKind != JsonValueKind.String || field.GetString() is not { Length: >= 1 and <= MaxLength } value)
        {
            return false;
        }
        requestId = value;
        return true;
    }

    /// <summary>
    /// <paramref name="frame"/> with a top-level <c>requestId</c> added, or <paramref name="frame"/> itself when there is
    /// none. Every frame is a compact JSON object with at least its <c>type</c>, so the field is spliced in before the
    /// closing brace: the shared encoding of an event is reused rather than encoded again for the one asking socket.
    /// </summary>
    public static byte[] Stamp(byte[] frame, string? requestId)
    {
        if (requestId is null)
        {
            return frame;
        }
        if (frame.Length < 2 || frame[^1] != (byte)'}')
        {
            throw new ArgumentException("Not a JSON object frame.", nameof(frame));
        }
        var value = JsonEncodedText.Encode(requestId).EncodedUtf8Bytes;
        var stamped = new byte[frame.Length + FieldPrefix.Length + value.Length + 1];
        var span = stamped.AsSpan();
        frame.AsSpan(0, frame.Length - 1).CopyTo(span);
        var at = frame.Length - 1;
        FieldPrefix.CopyTo(span[at..]);
        at += FieldPrefix.Length;
        value.CopyTo(span[at..]);
        at += value.Length;
        span[at++] = (byte)'"';
        span[at] = (byte)'}';
        return stamped;
    }
}
