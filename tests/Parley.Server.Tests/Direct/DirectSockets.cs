using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Direct;

/// <summary>Helpers for <c>/messagepal</c> tests.</summary>
internal static class DirectSockets
{
    public const string TimestampPattern = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$";

    /// <summary>Opens <c>/messagepal</c> (or <paramref name="path"/>) as the user and waits for <c>connected</c>.</summary>
    public static async Task<TestSocket> ConnectAsync(ParleyTestServer server, ApiClient user, string path = "/messagepal")
    {
        var socket = await TestSocket.ConnectAsync(server, path, user);
        await socket.WaitForAsync("connected");
        return socket;
    }

    public static string Conversation(long a, long b) => $"conv_{Math.Min(a, b)}_{Math.Max(a, b)}";

    public static JsonElement Payload(this JsonElement frame) => frame.GetProperty("payload");

    /// <summary>The next <c>error</c> frame's message.</summary>
    public static async Task<JsonElement> ErrorAsync(this TestSocket socket) => await socket.WaitForAsync("error");

    /// <summary>Sends and waits for the sender's own <c>message_received</c> of it.</summary>
    public static async Task<JsonElement> SendDmAsync(this TestSocket socket, long recipientId, string content)
    {
        await socket.SendAsync(new { type = "send_message", recipientId, content });
        return (await socket.WaitForAsync("message_received", f => f.Payload().GetProperty("content").GetString() == content)).Payload();
    }
}
