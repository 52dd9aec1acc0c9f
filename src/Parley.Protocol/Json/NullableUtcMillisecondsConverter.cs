using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Protocol.Json;

/// <summary>
/// <see cref="UtcMillisecondsConverter"/> for an optional timestamp; null stays JSON <c>null</c> (the serializer
/// writes and reads it without calling the converter).
/// </summary>
public sealed class NullableUtcMillisecondsConverter : JsonConverter<DateTime?>
{
    private static readonly UtcMillisecondsConverter Inner = new();

    /// <inheritdoc />
    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Inner.Read(ref reader, typeof(DateTime), options);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(UtcMillisecondsConverter.ToWire(value!.Value));
}
