using System.Text.Json;

namespace Parley.Client.Internal;

/// <summary>Reads the <c>type</c> of a server frame without allocating a document.</summary>
internal static class ChatEventReader
{
    /// <summary>The top-level <c>type</c> string, or null when the frame is not a JSON object that has one.</summary>
    public static string? TypeOf(ReadOnlyMemory<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
