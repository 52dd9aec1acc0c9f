using System.Globalization;
using System.Text.Json;

namespace Parley.Server.Realtime.Direct;

/// <summary>
/// Readers for <c>/messagepal</c> frame fields. Message ids are strings on this socket, so an id is accepted
/// as a JSON number or as its decimal string; anything else is invalid, never guessed.
/// </summary>
internal static class DirectFields
{
    /// <summary>The id in <paramref name="name"/>; null when absent (<paramref name="present"/> false) or invalid.</summary>
    public static long? Id(JsonElement frame, string name, out bool present)
    {
        present = frame.TryGetProperty(name, out var field) && field.ValueKind != JsonValueKind.Null;
        if (!present)
        {
            return null;
        }
        long value;
        switch (field.ValueKind)
        {
            case JsonValueKind.Number when field.TryGetInt64(out value):
                break;
            case JsonValueKind.String when field.GetString() is { Length: > 0 and <= 16 } text
                && text.All(char.IsAsciiDigit)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value):
                break;
            default:
                return null;
        }
        return value is >= 1 and < 1L << 53 ? value : null;
    }

    /// <summary>An optional integer; null when absent; false when present but not an integer.</summary>
    public static bool TryGetOptionalInt(JsonElement frame, string name, out int? value)
    {
        value = null;
        if (!frame.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (field.ValueKind == JsonValueKind.Number && field.TryGetInt64(out var number))
        {
            value = (int)Math.Clamp(number, int.MinValue, int.MaxValue);
            return true;
        }
        return false;
    }
}
