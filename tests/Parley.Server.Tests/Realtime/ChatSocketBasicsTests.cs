using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

public sealed class ChatSocketBasicsTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SenderGetsEchoAndOthersGetBroadcast()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace);

        await using var anaSocket = await TestSocket.ConnectAsync(_server, "/ws/chat", ana);
        await using var benSocket = await TestSocket.ConnectAsync(_server, "/ws/chat", ben);
        var connected = await anaSocket.WaitForAsync("connected");
        Assert.Equal(ana.UserId, connected.GetProperty("userId").GetInt64());
        Assert.Equal(ana.Username, connected.GetProperty("username").GetString());

        await anaSocket.SendAsync(new { type = "join_channel", channelId = channel });
        await benSocket.SendAsync(new { type = "join_channel", channelId = channel });
        await anaSocket.WaitForAsync("joined_channel");
        await benSocket.WaitForAsync("joined_channel");

        await anaSocket.SendAsync(new { type = "send_message", channelId = channel, content = "  hello  " });
        var echo = await anaSocket.WaitForAsync("new_message");
        var broadcast = await benSocket.WaitForAsync("new_message");
        foreach (var frame in new[] { echo, broadcast })
        {
            var message = frame.GetProperty("message");
            Assert.Equal(channel, frame.GetProperty("channelId").GetInt64());
            Assert.Equal("hello", message.GetProperty("content").GetString());
            Assert.Equal(ana.UserId, message.GetProperty("authorId").GetInt64());
            Assert.Equal(ana.Username, message.GetProperty("authorUsername").GetString());
            Assert.Equal("text", message.GetProperty("messageType").GetString());
            Assert.Equal(JsonValueKind.Null, message.GetProperty("fileUrl").ValueKind);
            Assert.Equal(JsonValueKind.Array, message.GetProperty("readBy").ValueKind);
            Assert.Equal(1, message.GetProperty("seq").GetInt64());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", message.GetProperty("createdAt").GetString());
        }
    }
}
