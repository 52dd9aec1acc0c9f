using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Protocol.Json;

/// <summary>
/// Writes timestamps as ISO 8601 UTC with exactly three fractional digits
/// (<c>2026-11-26T17:03:00.123Z</c>), the form the seed system's clients parse.
/// </summary>
public sealed class UtcMillisecondsConverter : JsonConverter<DateTime>
{
    /// <summary>The format string used on the wire.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Formats <paramref name="value"/> as the wire form.</summary>
    public static string ToWire(DateTime value) =>
        value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToWire(value));
}
