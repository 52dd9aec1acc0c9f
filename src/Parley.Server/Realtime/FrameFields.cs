using System.Text.Json;
using Parley.Protocol;
using Parley.Server.Chat;

namespace Parley.Server.Realtime;

/// <summary>Strict readers for fields of a client frame: a wrong type is an error, not a guess.</summary>
internal static class FrameFields
{
    /// <summary>A positive integer id below 2^53; false with a reason when present but invalid or absent.</summary>
    public static bool TryGetId(JsonElement frame, string name, out long value, out string? problem)
    {
        value = 0;
        problem = null;
        if (!frame.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            problem = $"{name} is required.";
            return false;
        }
        if (field.ValueKind != JsonValueKind.Number || !field.TryGetInt64(out value) || value < 1 || value >= 1L << 53)
        {
            problem = $"{name} must be a positive integer.";
            return false;
        }
        return true;
    }

    /// <summary>An optional non-negative integer; absent or null gives null.</summary>
    public static bool TryGetOptionalSeq(JsonElement frame, string name, out long? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!frame.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (field.ValueKind != JsonValueKind.Number || !field.TryGetInt64(out var number) || number < 0)
        {
            problem = $"{name} must be a non-negative integer.";
            return false;
        }
        value = number;
        return true;
    }

    /// <summary>An optional string; absent or null gives null, any other non-string is an error.</summary>
    public static bool TryGetOptionalString(JsonElement frame, string name, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!frame.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (field.ValueKind != JsonValueKind.String)
        {
            problem = $"{name} must be a string.";
            return false;
        }
        value = field.GetString();
        return true;
    }

    /// <summary>The frame's route key (<c>type</c> by default), or null when missing or not a string, or when the frame is not an object.</summary>
    public static string? Type(JsonElement frame, string property = "type") =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty(property, out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    /// <summary>The <c>Unknown message type: …</c> refusal of <c>/ws/chat</c> and <c>/messagepal</c>, the type cut at 64 characters.</summary>
    public static ChatError UnknownType(string type) => new(ErrorCodes.UnknownType, $"Unknown message type: {Shown(type)}");

    /// <summary>A client's text as the server repeats it (in an error or a log): at most 64 characters and an ellipsis.</summary>
    public static string Shown(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
