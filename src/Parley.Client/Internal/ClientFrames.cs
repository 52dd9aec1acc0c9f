using System.Buffers;
using System.Text.Json;
using Parley.Protocol.Chat;

namespace Parley.Client.Internal;

/// <summary>
/// Encodes the frames a client sends on <c>/ws/chat</c> and the JSON bodies it posts. Every request frame carries
/// (ext) a <c>requestId</c>, unique on its connection, which the server copies onto its answer.
/// </summary>
internal static class ClientFrames
{
    public static byte[] JoinChannel(long channelId, long? since, string requestId) => Write(w =>
    {
        w.WriteString("type", ChatClientEventTypes.JoinChannel);
        w.WriteString("requestId", requestId);
        w.WriteNumber("channelId", channelId);
        if (since is { } value)
        {
            w.WriteNumber("since", value);
        }
    });

    public static byte[] LeaveChannel(long channelId, string requestId) => Write(w =>
    {
        w.WriteString("type", ChatClientEventTypes.LeaveChannel);
        w.WriteString("requestId", requestId);
        w.WriteNumber("channelId", channelId);
    });

    public static byte[] SendMessage(long channelId, string content, string messageType, string? fileUrl, string clientMsgId, string requestId) => Write(w =>
    {
        w.WriteString("type", ChatClientEventTypes.SendMessage);
        w.WriteString("requestId", requestId);
        w.WriteNumber("channelId", channelId);
        w.WriteString("content", content);
        w.WriteString("messageType", messageType);
        if (fileUrl is not null)
        {
            w.WriteString("fileUrl", fileUrl);
        }
        w.WriteString("clientMsgId", clientMsgId);
    });

    public static byte[] Typing(long channelId, bool started, string requestId) => Write(w =>
    {
        w.WriteString("type", started ? ChatClientEventTypes.Typing : ChatClientEventTypes.StopTyping);
        w.WriteString("requestId", requestId);
        w.WriteNumber("channelId", channelId);
    });

    /// <summary>A flat JSON object of string properties (null values are left out).</summary>
    public static byte[] Object(params (string Name, string? Value)[] properties) => Write(w =>
    {
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }
    });

    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
