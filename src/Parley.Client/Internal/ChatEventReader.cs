using System.Text.Json;

namespace Parley.Client.Internal;

/// <summary>Reads the top-level <c>type</c> and <c>requestId</c> of a server frame without allocating a document.</summary>
internal static class ChatEventReader
{
    /// <summary>The top-level <c>type</c> string, or null when the frame is not a JSON object that has one.</summary>
    public static string? TypeOf(ReadOnlyMemory<byte> frame) => Read(frame).Type;

    /// <summary>
    /// The frame's <c>type</c> and (ext) <c>requestId</c> (the id of the request it answers, copied by the server onto
    /// the answers on the asking socket only); either is null when missing or not a string.
    /// </summary>
    public static (string? Type, string? RequestId) Read(ReadOnlyMemory<byte> frame)
    {
        string? type = null;
        string? requestId = null;
        try
        {
            var reader = new Utf8JsonReader(frame.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isRequestId = !isType && reader.ValueTextEquals("requestId"u8);
                reader.Read();
                if ((isType || isRequestId) && reader.TokenType == JsonTokenType.String)
                {
                    if (isType)
                    {
                        type = reader.GetString();
                    }
                    else
                    {
                        requestId = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            return (type, requestId);
        }
        catch (JsonException)
        {
            return (type, requestId);
        }
    }
}
