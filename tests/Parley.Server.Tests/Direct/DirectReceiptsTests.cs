using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Direct;

public sealed class DirectReceiptsTests(DirectServerFixture fixture) : IClassFixture<DirectServerFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly ParleyTestServer _server = fixture.Server;

    [Fact]
    public async Task TypingReachesOnlyTheRecipientsSockets()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        await using var ana1 = await DirectSockets.ConnectAsync(_server, ana);
        await using var ana2 = await DirectSockets.ConnectAsync(_server, ana);
        await using var ben1 = await DirectSockets.ConnectAsync(_server, ben);
        await using var ben2 = await DirectSockets.ConnectAsync(_server, ben);
        await using var calSocket = await DirectSockets.ConnectAsync(_server, cal);

        await ana1.SendAsync(new { type = "typing", recipientId = ben.UserId });

        foreach (var socket in new[] { ben1, ben2 })
        {
            var typing = (await socket.WaitForAsync("user_typing")).Payload();
            Assert.Equal(ana.UserId, typing.GetProperty("userId").GetInt64());
            Assert.Equal(ana.Username, typing.GetProperty("username").GetString());
            Assert.Equal(ben.UserId, typing.GetProperty("recipientId").GetInt64());
        }
        Assert.True(await ana2.StaysQuietAsync("user_typing", Quiet));
        Assert.True(await ana1.StaysQuietAsync("user_typing", TimeSpan.Zero));
        Assert.True(await calSocket.StaysQuietAsync("user_typing", TimeSpan.Zero));
    }

    [Fact]
    public async Task TypingBeforeAnyMessageReachesTheRecipientAndOpensNoConversation()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);

        await anaSocket.SendAsync(new { type = "typing", recipientId = ben.UserId });

        var typing = (await benSocket.WaitForAsync("user_typing")).Payload();
        Assert.Equal(ana.UserId, typing.GetProperty("userId").GetInt64());
        Assert.Equal(ben.UserId, typing.GetProperty("recipientId").GetInt64());
        foreach (var user in new[] { ana, ben })
        {
            var (status, dms) = await user.GetAsync("/api/users/me/dms");
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            Assert.Equal(0, dms.GetArrayLength());
            var (_, conversations) = await user.GetAsync("/api/messagepal/conversations");
            Assert.Equal(0, conversations.GetArrayLength());
        }
    }

    [Fact]
    public async Task TypingToNobodyIsRecipientNotFound()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await socket.SendAsync(new { type = "typing", recipientId = 987_654_321 });
        Assert.Equal("Recipient not found", (await socket.WaitForAsync("error")).GetProperty("message").GetString());
        await socket.SendAsync(new { type = "typing" });
        Assert.Equal("bad_request", (await socket.WaitForAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TypingToYourselfIsRecipientNotFoundAndOpensNothing()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await socket.SendAsync(new { type = "typing", recipientId = ana.UserId });

        var error = await socket.WaitForAsync("error");
        Assert.Equal("Recipient not found", error.GetProperty("message").GetString());
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal(0, (await ana.GetAsync("/api/users/me/dms")).Body.GetArrayLength());
    }

    [Fact]
    public async Task RecipientMarksReadAndBothUsersSocketsHearIt()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        await using var ana1 = await DirectSockets.ConnectAsync(_server, ana);
        await using var ana2 = await DirectSockets.ConnectAsync(_server, ana);
        await using var ben1 = await DirectSockets.ConnectAsync(_server, ben);
        await using var ben2 = await DirectSockets.ConnectAsync(_server, ben);
        await using var calSocket = await DirectSockets.ConnectAsync(_server, cal);
        var sent = await ana1.SendDmAsync(ben.UserId, "read me");
        var messageId = sent.GetProperty("id").GetString()!;

        await ben1.SendAsync(new { type = "mark_read", messageId });

        foreach (var socket in new[] { ana1, ana2, ben1, ben2 })
        {
            var read = (await socket.WaitForAsync("message_read")).Payload();
            Assert.Equal(messageId, read.GetProperty("messageId").GetString());
            Assert.Equal(ben.UserId, read.GetProperty("readBy").GetInt64());
            Assert.Matches(DirectSockets.TimestampPattern, read.GetProperty("readAt").GetString());
        }
        Assert.True(await calSocket.StaysQuietAsync("message_read", Quiet));

        // Persisted: history shows it read, by ben.
        await ana1.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId) });
        var stored = Assert.Single((await ana1.WaitForAsync("history_response")).Payload().GetProperty("messages").EnumerateArray());
        Assert.True(stored.GetProperty("isRead").GetBoolean());
        Assert.Equal(ben.UserId, Assert.Single(stored.GetProperty("readBy").EnumerateArray()).GetInt64());

        // Idempotent: a repeat stores and sends nothing.
        await ben1.SendAsync(new { type = "mark_read", messageId = long.Parse(messageId, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(await ana1.StaysQuietAsync("message_read", Quiet));
    }

    [Fact]
    public async Task OnlyTheRecipientMayMarkRead()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        await using var calSocket = await DirectSockets.ConnectAsync(_server, cal);
        var messageId = (await anaSocket.SendDmAsync(ben.UserId, "mine")).GetProperty("id").GetString();

        await anaSocket.SendAsync(new { type = "mark_read", messageId });
        var byAuthor = await anaSocket.WaitForAsync("error");
        await calSocket.SendAsync(new { type = "mark_read", messageId });
        var byStranger = await calSocket.WaitForAsync("error");
        await calSocket.SendAsync(new { type = "mark_read", messageId = "999999999" });
        var unknown = await calSocket.WaitForAsync("error");
        await calSocket.SendAsync(new { type = "mark_read" });
        var missing = await calSocket.WaitForAsync("error");

        Assert.Equal("forbidden", byAuthor.GetProperty("code").GetString());
        Assert.Equal("Message not found", byStranger.GetProperty("message").GetString());
        Assert.Equal(unknown.GetProperty("message").GetString(), byStranger.GetProperty("message").GetString());
        Assert.Equal(unknown.GetProperty("code").GetString(), byStranger.GetProperty("code").GetString());
        Assert.Equal("bad_request", missing.GetProperty("code").GetString());
        Assert.True(await benSocket.StaysQuietAsync("message_read", Quiet));
    }

    [Fact]
    public async Task WorkspaceChannelMessagesCannotBeMarkedHere()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace);
        var (_, message) = await ana.PostAsync("/api/messages", new { channelId = channel, content = "in a channel" });
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);

        await benSocket.SendAsync(new { type = "mark_read", messageId = message.GetProperty("id").GetInt64() });

        Assert.Equal("Message not found", (await benSocket.WaitForAsync("error")).GetProperty("message").GetString());
    }
}
