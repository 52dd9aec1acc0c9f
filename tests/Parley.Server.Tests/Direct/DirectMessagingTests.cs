using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Direct;

public sealed class DirectMessagingTests(DirectServerFixture fixture) : IClassFixture<DirectServerFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly ParleyTestServer _server = fixture.Server;

    [Fact]
    public async Task MessageReachesEverySocketOfBothUsers()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var ana1 = await DirectSockets.ConnectAsync(_server, ana);
        await using var ana2 = await DirectSockets.ConnectAsync(_server, ana, "/message");
        await using var ben1 = await DirectSockets.ConnectAsync(_server, ben);
        await using var ben2 = await DirectSockets.ConnectAsync(_server, ben);

        await ana1.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "  hello ben  " });

        foreach (var socket in new[] { ana1, ana2, ben1, ben2 })
        {
            var frame = await socket.WaitForAsync("message_received");
            var message = frame.Payload();
            Assert.Equal(JsonValueKind.String, message.GetProperty("id").ValueKind);
            Assert.Matches(@"^\d+$", message.GetProperty("id").GetString());
            Assert.Equal(DirectSockets.Conversation(ana.UserId, ben.UserId), message.GetProperty("conversationId").GetString());
            Assert.Equal(ana.UserId, message.GetProperty("senderId").GetInt64());
            Assert.Equal(ana.Username, message.GetProperty("senderName").GetString());
            Assert.Equal("student", message.GetProperty("senderRole").GetString());
            Assert.Equal(ben.UserId, message.GetProperty("recipientId").GetInt64());
            Assert.Equal("hello ben", message.GetProperty("content").GetString());
            Assert.Matches(DirectSockets.TimestampPattern, message.GetProperty("timestamp").GetString());
            Assert.Equal(0, message.GetProperty("readBy").GetArrayLength());
            Assert.False(message.GetProperty("isRead").GetBoolean());
            Assert.Matches(DirectSockets.TimestampPattern, frame.GetProperty("timestamp").GetString());
        }
    }

    [Fact]
    public async Task AnEditReachesBothUsersAsMessageUpdatedAndShowsInHistory()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        var sent = await anaSocket.SendDmAsync(ben.UserId, "helo ben");
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("editedAt").ValueKind);
        await benSocket.WaitForAsync("message_received");

        var (status, edited) = await ana.SendAsync(HttpMethod.Patch, $"/api/messages/{sent.GetProperty("id").GetString()}", new { content = "hello ben" });

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var socket in new[] { anaSocket, benSocket })
        {
            var updated = (await socket.WaitForAsync("message_updated")).Payload();
            Assert.Equal(sent.EnumerateObject().Select(p => p.Name).Order(), updated.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(sent.GetProperty("id").GetString(), updated.GetProperty("id").GetString());
            Assert.Equal(sent.GetProperty("timestamp").GetString(), updated.GetProperty("timestamp").GetString());
            Assert.Equal("hello ben", updated.GetProperty("content").GetString());
            Assert.Equal(edited.GetProperty("editedAt").GetString(), updated.GetProperty("editedAt").GetString());
        }
        await benSocket.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId) });
        var history = Assert.Single((await benSocket.WaitForAsync("history_response")).Payload().GetProperty("messages").EnumerateArray());
        Assert.Equal("hello ben", history.GetProperty("content").GetString());
        Assert.Equal(edited.GetProperty("editedAt").GetString(), history.GetProperty("editedAt").GetString());
    }

    [Fact]
    public async Task SenderRoleIsTheProfileRole()
    {
        using var teacher = await RegisterAsync("teacher");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var teacherSocket = await DirectSockets.ConnectAsync(_server, teacher);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);

        var connected = teacherSocket.Snapshot()[0].Payload();
        Assert.Equal("teacher", connected.GetProperty("role").GetString());
        await teacherSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "homework" });

        Assert.Equal("teacher", (await benSocket.WaitForAsync("message_received")).Payload().GetProperty("senderRole").GetString());
    }

    [Fact]
    public async Task RefusedSendsGetTheirErrors()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        async Task<JsonElement> ErrorFor(object frame)
        {
            await socket.SendAsync(frame);
            return await socket.WaitForAsync("error");
        }

        var unknown = await ErrorFor(new { type = "send_message", recipientId = 987_654_321, content = "hi" });
        Assert.Equal("Recipient not found", unknown.GetProperty("message").GetString());
        Assert.Equal("not_found", unknown.GetProperty("code").GetString());
        var garbage = await ErrorFor(new { type = "send_message", recipientId = "abc", content = "hi" });
        Assert.Equal("Recipient not found", garbage.GetProperty("message").GetString());
        var missing = await ErrorFor(new { type = "send_message", content = "hi" });
        Assert.Equal("bad_request", missing.GetProperty("code").GetString());
        var empty = await ErrorFor(new { type = "send_message", recipientId = ben.UserId, content = "   " });
        Assert.Equal("recipientId and content are required", empty.GetProperty("message").GetString());
        Assert.Equal("bad_request", empty.GetProperty("code").GetString());
        var tooLong = await ErrorFor(new { type = "send_message", recipientId = ben.UserId, content = new string('x', 4001) });
        Assert.Equal("too_large", tooLong.GetProperty("code").GetString());
        var self = await ErrorFor(new { type = "send_message", recipientId = ana.UserId, content = "me" });
        Assert.Equal("bad_request", self.GetProperty("code").GetString());
        // The core's rule, in the seed's words on this socket.
        Assert.Equal("You cannot send a message to yourself", self.GetProperty("message").GetString());

        // Nothing was stored: the conversation (if any) is empty.
        await socket.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId) });
        Assert.Equal(0, (await socket.WaitForAsync("history_response")).Payload().GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task RecipientIdMayBeADecimalString()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);

        await anaSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), content = "string id" });

        Assert.Equal("string id", (await benSocket.WaitForAsync("message_received")).Payload().GetProperty("content").GetString());
    }

    [Fact]
    public async Task SendingTooFastIsRateLimitedWithTheSeedText()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        for (var i = 0; i < 6; i++)
        {
            await socket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = $"m{i}" });
        }
        var error = await socket.WaitForAsync("error");

        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Equal("You are sending messages too fast. Please wait.", error.GetProperty("message").GetString());
        await socket.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId) });
        Assert.Equal(5, (await socket.WaitForAsync("history_response")).Payload().GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task RepeatedClientMsgIdStoresOnceAndReturnsTheOriginalToTheSenderOnly()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);

        await anaSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "once", clientMsgId = "k-1" });
        var first = (await anaSocket.WaitForAsync("message_received")).Payload();
        await anaSocket.SendAsync(new { type = "send_message", recipientId = ben.UserId, content = "once", clientMsgId = "k-1" });
        var again = (await anaSocket.WaitForAsync("message_received")).Payload();

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal("k-1", again.GetProperty("clientMsgId").GetString());
        await benSocket.WaitForAsync("message_received");
        Assert.True(await benSocket.StaysQuietAsync("message_received", Quiet));
    }

    [Fact]
    public async Task DmSentHereIsSeenOnChatSocketAndInHttpHistory()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var (_, dm) = await ben.PostAsync("/api/channels/dm", new { userId = ana.UserId });
        var channelId = dm.GetProperty("id").GetInt64();
        await using var benChat = await TestSocket.ConnectAsync(_server, "/ws/chat", ben);
        await benChat.SendAsync(new { type = "join_channel", channelId });
        await benChat.WaitForAsync("joined_channel");
        await using var anaDirect = await DirectSockets.ConnectAsync(_server, ana);

        var sent = await anaDirect.SendDmAsync(ben.UserId, "via messagepal");

        var onChat = (await benChat.WaitForAsync("new_message")).GetProperty("message");
        Assert.Equal(long.Parse(sent.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture), onChat.GetProperty("id").GetInt64());
        Assert.Equal("via messagepal", onChat.GetProperty("content").GetString());
        Assert.Equal(channelId, onChat.GetProperty("channelId").GetInt64());
        var (status, history) = await ben.GetAsync($"/api/channels/{channelId}/messages");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("via messagepal", Assert.Single(history.EnumerateArray()).GetProperty("content").GetString());
    }

    [Fact]
    public async Task DmSentOnChatSocketOrHttpReachesMessagePal()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var (_, dm) = await ben.PostAsync("/api/channels/dm", new { userId = ana.UserId });
        var channelId = dm.GetProperty("id").GetInt64();
        await using var anaDirect = await DirectSockets.ConnectAsync(_server, ana);
        await using var benDirect = await DirectSockets.ConnectAsync(_server, ben);
        await using var benChat = await TestSocket.ConnectAsync(_server, "/ws/chat", ben);
        await benChat.SendAsync(new { type = "join_channel", channelId });
        await benChat.WaitForAsync("joined_channel");

        await benChat.SendAsync(new { type = "send_message", channelId, content = "via chat" });
        var viaChat = (await anaDirect.WaitForAsync("message_received")).Payload();
        await benDirect.WaitForAsync("message_received", f => f.Payload().GetProperty("content").GetString() == "via chat");
        var (status, _) = await ben.PostAsync("/api/messages", new { channelId, content = "via http" });
        var viaHttp = (await anaDirect.WaitForAsync("message_received")).Payload();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("via chat", viaChat.GetProperty("content").GetString());
        Assert.Equal(ben.UserId, viaChat.GetProperty("senderId").GetInt64());
        Assert.Equal(ana.UserId, viaChat.GetProperty("recipientId").GetInt64());
        Assert.Equal(DirectSockets.Conversation(ana.UserId, ben.UserId), viaChat.GetProperty("conversationId").GetString());
        Assert.Equal("via http", viaHttp.GetProperty("content").GetString());
    }

    [Fact]
    public async Task DeletingADmTellsBothUsers()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        var sent = await anaSocket.SendDmAsync(ben.UserId, "oops");

        var (status, _) = await ana.DeleteAsync($"/api/messages/{sent.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        foreach (var socket in new[] { anaSocket, benSocket })
        {
            var deleted = (await socket.WaitForAsync("message_deleted")).Payload();
            Assert.Equal(sent.GetProperty("id").GetString(), deleted.GetProperty("messageId").GetString());
        }
    }

    private async Task<ApiClient> RegisterAsync(string role)
    {
        using var registrar = ApiClient.Anonymous(_server);
        var username = $"{role}{Guid.NewGuid():N}"[..20];
        var (status, _) = await registrar.PostAsync("/api/auth/register", new { username, password = "password123", role });
        Assert.Equal(HttpStatusCode.Created, status);
        var client = ApiClient.Anonymous(_server);
        var (login, _) = await client.PostAsync("/api/auth/login", new { username, password = "password123" });
        Assert.Equal(HttpStatusCode.OK, login);
        return client;
    }
}
