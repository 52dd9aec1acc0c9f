using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Client.Tests.Infrastructure;

/// <summary>
/// A <c>/ws/chat</c> that misbehaves on purpose, in ways the real server never does (repeats messages, sends
/// a channel not joined, drops the connection mid-stream, closes with 4001 instead of echoing a send), to
/// test the client's guards against them.
/// </summary>
public sealed class FakeSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _chatConnections;

    private FakeSocketServer(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    public Uri BaseAddress { get; }

    /// <summary>How many <c>/ws/chat</c> connections were opened.</summary>
    public int ChatConnections => Volatile.Read(ref _chatConnections);

    /// <summary>Every <c>join_channel</c> frame <c>/ws/chat</c> received, in order.</summary>
    public List<JsonElement> ChatJoins { get; } = [];

    public static async Task<FakeSocketServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        FakeSocketServer? server = null;
        app.Map("/ws/chat", context => server!.ChatAsync(context));
        await app.StartAsync();
        return server = new FakeSocketServer(app);
    }

    /// <summary>
    /// With the session cookie <c>revoke-on-send</c>, a <c>send_message</c> is answered by closing with 4001.
    /// Otherwise, first connection: answers the join, sends seq 1, 2, 1, 2, 3 and a message of a channel not joined, then
    /// drops the connection as a restarting server would (1012). Later connections: answer the join and
    /// replay 3 (again) and 4.
    /// </summary>
    private async Task ChatAsync(HttpContext context)
    {
        var connection = Interlocked.Increment(ref _chatConnections);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await SendAsync(socket, new { type = "connected", userId = 1, username = "fake" });
        while (await ReceiveAsync(socket) is { } frame)
        {
            if (frame.GetProperty("type").GetString() == "send_message" && context.Request.Cookies["parley_session"] == "revoke-on-send")
            {
                // As if the session had been revoked just then: no echo, 4001.
                await socket.CloseAsync((WebSocketCloseStatus)4001, "Session ended", CancellationToken.None);
                return;
            }
            if (frame.GetProperty("type").GetString() != "join_channel")
            {
                continue;
            }
            lock (ChatJoins)
            {
                ChatJoins.Add(frame);
            }
            var channelId = frame.GetProperty("channelId").GetInt64();
            await SendAsync(socket, new { type = "joined_channel", channelId, lastSeq = connection == 1 ? 0 : 4 });
            long[] seqs = connection == 1 ? [1, 2, 1, 2, 3] : [3, 4];
            foreach (var seq in seqs)
            {
                await SendAsync(socket, NewMessage(channelId, seq));
            }
            if (connection == 1)
            {
                await SendAsync(socket, NewMessage(channelId + 1, 1));
                await socket.CloseAsync((WebSocketCloseStatus)1012, "restarting", CancellationToken.None);
                return;
            }
        }
    }

    private static object NewMessage(long channelId, long seq) => new
    {
        type = "new_message",
        channelId,
        message = new
        {
            id = (channelId * 100) + seq,
            channelId,
            authorId = 2,
            authorUsername = "other",
            content = $"message {seq}",
            messageType = "text",
            fileUrl = (string?)null,
            readBy = Array.Empty<long>(),
            createdAt = "2026-11-26T17:03:00.123Z",
            seq,
            clientMsgId = (string?)null,
        },
    };

    private static Task SendAsync(WebSocket socket, object payload) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(payload), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement?> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        try
        {
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return null;
            }
            return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, length)).RootElement.Clone();
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
