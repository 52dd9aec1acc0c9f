using System.Net.WebSockets;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Direct;

public sealed class DirectSocketBasicsTests(DirectServerFixture fixture) : IClassFixture<DirectServerFixture>
{
    private readonly ParleyTestServer _server = fixture.Server;

    [Theory]
    [InlineData("/messagepal")]
    [InlineData("/message")]
    public async Task ConnectedCarriesTheUserInTheEnvelope(string path)
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await TestSocket.ConnectAsync(_server, path, ana);

        var connected = await socket.WaitForAsync("connected");

        var payload = connected.GetProperty("payload");
        Assert.Equal(ana.UserId, payload.GetProperty("userId").GetInt64());
        Assert.Equal(ana.Username, payload.GetProperty("username").GetString());
        Assert.Equal("student", payload.GetProperty("role").GetString());
        Assert.Matches(DirectSockets.TimestampPattern, payload.GetProperty("serverTime").GetString());
        Assert.Matches(DirectSockets.TimestampPattern, connected.GetProperty("timestamp").GetString());
    }

    [Theory]
    [InlineData("/messagepal")]
    [InlineData("/message")]
    public async Task UnauthenticatedSocketGetsOneErrorThenCloses4001(string path)
    {
        await using var socket = await TestSocket.ConnectAsync(_server, path);

        var close = await socket.WaitForCloseAsync();

        Assert.Equal(4001, close);
        Assert.Equal("Authentication required", socket.Socket.CloseStatusDescription);
        var frame = Assert.Single(socket.Snapshot());
        Assert.Equal("error", frame.GetProperty("type").GetString());
        Assert.Equal("Authentication required", frame.GetProperty("message").GetString());
        Assert.Equal("unauthorized", frame.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnInvalidTokenIsUnauthenticatedToo()
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TestSocket.DefaultTimeout);
        await socket.ConnectAsync(_server.WebSocketUri("/messagepal?token=pt_nonsense"), timeout.Token);
        var buffer = new byte[4096];
        var first = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, first.MessageType);
        var closing = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal(4001, (int)socket.CloseStatus!.Value);
        socket.Dispose();
    }

    [Fact]
    public async Task UnparseableFrameGetsInvalidMessageFormatAndTheSocketStaysOpen()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await socket.SendRawAsync("{not json");
        var error = await socket.WaitForAsync("error");

        Assert.Equal("Invalid message format", error.GetProperty("message").GetString());
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.False(error.TryGetProperty("payload", out _));
        Assert.False(error.TryGetProperty("timestamp", out _));

        await socket.SendRawAsync("[1,2,3]");
        Assert.Equal("Invalid message format", (await socket.WaitForAsync("error")).GetProperty("message").GetString());

        await socket.SendAsync(new { type = "subscribe", conversationId = DirectSockets.Conversation(ana.UserId, ana.UserId + 1_000_000) });
        Assert.Equal("Conversation not found", (await socket.WaitForAsync("error")).GetProperty("message").GetString());
        Assert.Equal(WebSocketState.Open, socket.Socket.State);
    }

    [Fact]
    public async Task TooDeeplyNestedJsonIsInvalidFormat()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await socket.SendRawAsync(new string('[', 40) + new string(']', 40));

        Assert.Equal("Invalid message format", (await socket.WaitForAsync("error")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownTypeIsAnErrorWithCode()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await socket.SendAsync(new { type = "launch_rockets" });
        var error = await socket.WaitForAsync("error");

        Assert.Equal("unknown_type", error.GetProperty("code").GetString());
        Assert.Contains("launch_rockets", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task LogoutClosesTheSocketWith4001()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await ana.PostAsync("/api/auth/logout");

        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task ServerEventsAllHaveTypePayloadAndTimestamp()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        var conversation = DirectSockets.Conversation(ana.UserId, ben.UserId);

        var sent = await anaSocket.SendDmAsync(ben.UserId, "hi");
        await benSocket.WaitForAsync("message_received");
        await anaSocket.SendAsync(new { type = "typing", recipientId = ben.UserId });
        await benSocket.WaitForAsync("user_typing");
        await benSocket.SendAsync(new { type = "mark_read", messageId = sent.GetProperty("id").GetString() });
        await anaSocket.WaitForAsync("message_read");
        await anaSocket.SendAsync(new { type = "fetch_history", conversationId = conversation });
        await anaSocket.WaitForAsync("history_response");
        await anaSocket.SendAsync(new { type = "subscribe", conversationId = conversation });
        await anaSocket.WaitForAsync("subscribed");
        await anaSocket.SendAsync(new { type = "unsubscribe", conversationId = conversation });
        await anaSocket.WaitForAsync("unsubscribed");

        foreach (var frame in anaSocket.Snapshot().Concat(benSocket.Snapshot()))
        {
            Assert.Equal(JsonValueKind.String, frame.GetProperty("type").ValueKind);
            Assert.Equal(JsonValueKind.Object, frame.GetProperty("payload").ValueKind);
            Assert.Matches(DirectSockets.TimestampPattern, frame.GetProperty("timestamp").GetString());
        }
    }
}
