using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

public sealed class ChatSocketEventsTests : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonElement> ErrorAfterAsync(TestSocket socket, object frame)
    {
        await socket.SendAsync(frame);
        return await socket.WaitForAsync("error");
    }

    [Fact]
    public async Task JoinAnswersWithLastSeqAndTellsOthersOnline()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "before" });

        await using var member = await TestSocket.ConnectAsync(_server, "/ws/chat", scenario.Members[0]);
        await member.SendAsync(new { type = "join_channel", channelId = scenario.ChannelId });
        var joined = await member.WaitForAsync("joined_channel");
        Assert.Equal(scenario.ChannelId, joined.GetProperty("channelId").GetInt64());
        Assert.Equal(1, joined.GetProperty("lastSeq").GetInt64());

        var presence = await owner.WaitForAsync("user_presence");
        Assert.Equal(scenario.Members[0].UserId, presence.GetProperty("userId").GetInt64());
        Assert.Equal(scenario.Members[0].Username, presence.GetProperty("username").GetString());
        Assert.Equal("online", presence.GetProperty("status").GetString());
        Assert.Equal(scenario.ChannelId, presence.GetProperty("channelId").GetInt64());
    }

    [Fact]
    public async Task JoinRefusalsUseTheSeedTexts()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        using var outsider = await ApiClient.UserAsync(_server, "outsider");
        await using var socket = await TestSocket.ConnectAsync(_server, "/ws/chat", outsider);
        await socket.WaitForAsync("connected");

        var missing = await ErrorAfterAsync(socket, new { type = "join_channel", channelId = 999_999 });
        Assert.Equal("Channel not found.", missing.GetProperty("message").GetString());
        Assert.Equal("not_found", missing.GetProperty("code").GetString());

        var notMember = await ErrorAfterAsync(socket, new { type = "join_channel", channelId = scenario.ChannelId });
        Assert.Equal("You are not a member of this workspace.", notMember.GetProperty("message").GetString());
        Assert.Equal("forbidden", notMember.GetProperty("code").GetString());

        var (_, dm) = await scenario.Owner.PostAsync("/api/channels/dm", new { userId = scenario.Members[0].UserId });
        var notParticipant = await ErrorAfterAsync(socket, new { type = "join_channel", channelId = dm.GetProperty("id").GetInt64() });
        Assert.Equal("Access denied to this DM.", notParticipant.GetProperty("message").GetString());
        Assert.Equal("forbidden", notParticipant.GetProperty("code").GetString());
    }

    [Fact]
    public async Task DmParticipantsCanJoinAndChat()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var (status, dm) = await ana.PostAsync("/api/channels/dm", new { userId = ben.UserId });
        Assert.Equal(HttpStatusCode.Created, status);
        var channelId = dm.GetProperty("id").GetInt64();
        await using var anaSocket = await TestSocket.ConnectAsync(_server, "/ws/chat", ana);
        await using var benSocket = await TestSocket.ConnectAsync(_server, "/ws/chat", ben);
        await anaSocket.SendAsync(new { type = "join_channel", channelId });
        await benSocket.SendAsync(new { type = "join_channel", channelId });
        await anaSocket.WaitForAsync("joined_channel");
        await benSocket.WaitForAsync("joined_channel");
        await anaSocket.SendAsync(new { type = "send_message", channelId, content = "psst" });
        var received = await benSocket.WaitForAsync("new_message");
        Assert.Equal("psst", received.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task SendRefusalsKeepTheSocketOpen()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var socket = await TestSocket.ConnectAsync(_server, "/ws/chat", scenario.Owner);
        await socket.WaitForAsync("connected");

        var notJoined = await ErrorAfterAsync(socket, new { type = "send_message", channelId = scenario.ChannelId, content = "hi" });
        Assert.Equal("Join the channel before sending messages.", notJoined.GetProperty("message").GetString());
        Assert.Equal("not_joined", notJoined.GetProperty("code").GetString());

        await socket.SendAsync(new { type = "join_channel", channelId = scenario.ChannelId });
        await socket.WaitForAsync("joined_channel");
        foreach (var content in new object?[] { null, "", "   " })
        {
            var empty = await ErrorAfterAsync(socket, new { type = "send_message", channelId = scenario.ChannelId, content });
            Assert.Equal("channelId and content are required.", empty.GetProperty("message").GetString());
        }
        var tooLong = await ErrorAfterAsync(socket, new { type = "send_message", channelId = scenario.ChannelId, content = new string('x', 4001) });
        Assert.Equal("too_large", tooLong.GetProperty("code").GetString());
        var badUrl = await ErrorAfterAsync(socket, new { type = "send_message", channelId = scenario.ChannelId, content = "f", messageType = "file", fileUrl = "javascript:alert(1)" });
        Assert.Equal("bad_request", badUrl.GetProperty("code").GetString());
        var badType = await ErrorAfterAsync(socket, new { type = "send_message", channelId = scenario.ChannelId, content = "f", messageType = "video" });
        Assert.Equal("bad_request", badType.GetProperty("code").GetString());
        var longKey = await ErrorAfterAsync(socket, new { type = "send_message", channelId = scenario.ChannelId, content = "f", clientMsgId = new string('k', 65) });
        Assert.Equal("too_large", longKey.GetProperty("code").GetString());

        await socket.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "still here", messageType = "image", fileUrl = "https://example.com/a.png" });
        var message = (await socket.WaitForAsync("new_message")).GetProperty("message");
        Assert.Equal("image", message.GetProperty("messageType").GetString());
        Assert.Equal("https://example.com/a.png", message.GetProperty("fileUrl").GetString());
        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Equal(1, history.GetArrayLength());
    }

    [Fact]
    public async Task TypingReachesOtherUsersOnly()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await using var ownerSecondTab = await scenario.JoinAsync(_server, scenario.Owner);
        await using var member = await scenario.JoinAsync(_server, scenario.Members[0]);

        await owner.SendAsync(new { type = "typing", channelId = scenario.ChannelId });
        var typing = await member.WaitForAsync("user_typing");
        Assert.Equal(scenario.Owner.UserId, typing.GetProperty("userId").GetInt64());
        Assert.Equal(scenario.Owner.Username, typing.GetProperty("username").GetString());
        Assert.Equal(scenario.ChannelId, typing.GetProperty("channelId").GetInt64());

        await owner.SendAsync(new { type = "stop_typing", channelId = scenario.ChannelId });
        await member.WaitForAsync("user_stop_typing");
        Assert.True(await owner.StaysQuietAsync("user_typing", Quiet));
        Assert.True(await ownerSecondTab.StaysQuietAsync("user_typing", Quiet));
    }

    [Fact]
    public async Task TypingWithoutJoiningIsRefused()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var socket = await TestSocket.ConnectAsync(_server, "/ws/chat", scenario.Owner);
        var error = await ErrorAfterAsync(socket, new { type = "typing", channelId = scenario.ChannelId });
        Assert.Equal("not_joined", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task MarkReadTellsEveryOtherSocketAndPersists()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await using var reader = await scenario.JoinAsync(_server, scenario.Members[0]);
        await using var readerOtherTab = await scenario.JoinAsync(_server, scenario.Members[0]);
        await owner.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "read me" });
        var messageId = (await reader.WaitForAsync("new_message")).GetProperty("message").GetProperty("id").GetInt64();

        await reader.SendAsync(new { type = "mark_read", messageId, channelId = scenario.ChannelId });
        foreach (var socket in new[] { owner, readerOtherTab })
        {
            var read = await socket.WaitForAsync("message_read");
            Assert.Equal(messageId, read.GetProperty("messageId").GetInt64());
            Assert.Equal(scenario.Members[0].UserId, read.GetProperty("userId").GetInt64());
            Assert.Equal(scenario.ChannelId, read.GetProperty("channelId").GetInt64());
        }
        Assert.True(await reader.StaysQuietAsync("message_read", Quiet));

        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Equal([scenario.Members[0].UserId], history[0].GetProperty("readBy").EnumerateArray().Select(e => e.GetInt64()));

        // Idempotent: a repeat stores nothing new and tells nobody again.
        await reader.SendAsync(new { type = "mark_read", messageId, channelId = scenario.ChannelId });
        Assert.True(await owner.StaysQuietAsync("message_read", Quiet));
    }

    [Fact]
    public async Task MarkReadOfAMessageFromAnotherChannelIsNotFound()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        var other = await scenario.Owner.CreateChannelAsync(scenario.WorkspaceId, "other");
        var (_, message) = await scenario.Owner.PostAsync("/api/messages", new { channelId = other, content = "elsewhere" });
        await using var socket = await scenario.JoinAsync(_server, scenario.Members[0]);
        var error = await ErrorAfterAsync(socket, new { type = "mark_read", messageId = message.GetProperty("id").GetInt64(), channelId = scenario.ChannelId });
        Assert.Equal("not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task PresenceIsPerUserNotPerSocket()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var watcher = await scenario.JoinAsync(_server, scenario.Owner);
        var member = scenario.Members[0];

        var firstTab = await scenario.JoinAsync(_server, member);
        var online = await watcher.WaitForAsync("user_presence");
        Assert.Equal("online", online.GetProperty("status").GetString());

        await using var secondTab = await scenario.JoinAsync(_server, member);
        Assert.True(await watcher.StaysQuietAsync("user_presence", Quiet));

        await firstTab.DisposeAsync();
        Assert.True(await watcher.StaysQuietAsync("user_presence", Quiet));

        await secondTab.SendAsync(new { type = "leave_channel", channelId = scenario.ChannelId });
        var left = await secondTab.WaitForAsync("left_channel");
        Assert.Equal(scenario.ChannelId, left.GetProperty("channelId").GetInt64());
        var offline = await watcher.WaitForAsync("user_presence");
        Assert.Equal("offline", offline.GetProperty("status").GetString());
        Assert.Equal(member.UserId, offline.GetProperty("userId").GetInt64());
    }

    [Fact]
    public async Task DisconnectOfTheLastSocketAnnouncesOffline()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var watcher = await scenario.JoinAsync(_server, scenario.Owner);
        var member = await scenario.JoinAsync(_server, scenario.Members[0]);
        await watcher.WaitForAsync("user_presence", f => f.GetProperty("status").GetString() == "online");
        member.Socket.Abort();
        var offline = await watcher.WaitForAsync("user_presence");
        Assert.Equal("offline", offline.GetProperty("status").GetString());
        await member.DisposeAsync();
    }

    [Fact]
    public async Task LeftSocketReceivesNoMoreMessages()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        await using var leaver = await scenario.JoinAsync(_server, scenario.Members[0]);
        await leaver.SendAsync(new { type = "leave_channel", channelId = scenario.ChannelId });
        await leaver.WaitForAsync("left_channel");
        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "gone?" });
        await sender.WaitForAsync("new_message");
        Assert.True(await leaver.StaysQuietAsync("new_message", Quiet));
        var error = await ErrorAfterAsync(leaver, new { type = "send_message", channelId = scenario.ChannelId, content = "x" });
        Assert.Equal("not_joined", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task HttpSendAndDeleteAreDeliveredLive()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var socket = await scenario.JoinAsync(_server, scenario.Members[0]);
        var (status, sent) = await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "over http" });
        Assert.Equal(HttpStatusCode.Created, status);
        var live = await socket.WaitForAsync("new_message");
        Assert.Equal(sent.GetProperty("id").GetInt64(), live.GetProperty("message").GetProperty("id").GetInt64());

        var (deleted, _) = await scenario.Owner.DeleteAsync($"/api/messages/{sent.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var gone = await socket.WaitForAsync("message_deleted");
        Assert.Equal(sent.GetProperty("id").GetInt64(), gone.GetProperty("messageId").GetInt64());
        Assert.Equal(scenario.ChannelId, gone.GetProperty("channelId").GetInt64());
    }

    [Fact]
    public async Task RemovedMemberIsUnsubscribedAtOnce()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await using var removed = await scenario.JoinAsync(_server, scenario.Members[0]);

        var (status, _) = await scenario.Owner.DeleteAsync($"/api/workspaces/{scenario.WorkspaceId}/members/{scenario.Members[0].UserId}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        await removed.WaitForAsync("left_channel");

        await owner.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "members only" });
        await owner.WaitForAsync("new_message");
        Assert.True(await removed.StaysQuietAsync("new_message", Quiet));
        var rejoin = await ErrorAfterAsync(removed, new { type = "join_channel", channelId = scenario.ChannelId });
        Assert.Equal("forbidden", rejoin.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnnouncementChannelsTakePostsFromOwnersAndAdminsOnly()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server, channelType: "announcement");
        await using var member = await scenario.JoinAsync(_server, scenario.Members[0]);
        var refused = await ErrorAfterAsync(member, new { type = "send_message", channelId = scenario.ChannelId, content = "me too" });
        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await owner.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "news" });
        await member.WaitForAsync("new_message");
    }

    [Fact]
    public async Task RepeatedClientMsgIdReturnsTheOriginalAndStoresNothing()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        await using var other = await scenario.JoinAsync(_server, scenario.Members[0]);
        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "once", clientMsgId = "abc-1" });
        var first = (await sender.WaitForAsync("new_message")).GetProperty("message");
        await other.WaitForAsync("new_message");

        await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "once", clientMsgId = "abc-1" });
        var again = (await sender.WaitForAsync("new_message")).GetProperty("message");
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal("abc-1", again.GetProperty("clientMsgId").GetString());
        Assert.True(await other.StaysQuietAsync("new_message", Quiet));
        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Equal(1, history.GetArrayLength());
    }

    [Fact]
    public async Task RateLimitRefusesTheSixthQuickSendAndStoresNothing()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        for (var i = 0; i < 6; i++)
        {
            await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i}" });
        }
        var error = await sender.WaitForAsync("error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Equal("You are sending messages too fast. Please wait.", error.GetProperty("message").GetString());

        // The bucket is per user: HTTP sends are refused too, with Retry-After.
        using var response = await scenario.Owner.Http.PostAsync("/api/messages", System.Net.Http.Json.JsonContent.Create(new { channelId = scenario.ChannelId, content = "http" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);

        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Equal(5, history.GetArrayLength());
    }
}
