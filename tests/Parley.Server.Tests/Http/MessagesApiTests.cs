using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>POST /api/messages, DELETE /api/messages/:id and POST /api/messages/:id/read.</summary>
public sealed class MessagesApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    [Fact]
    public async Task SendIs201WithTheStoredMessage()
    {
        var (_, member, _, channel) = await OwnerMemberChannelAsync();

        var (status, message) = await member.PostAsync("/api/messages", new { channelId = channel, content = "  hello there  " });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(message.GetProperty("id").GetInt64() > 0);
        Assert.Equal(channel, message.GetProperty("channelId").GetInt64());
        Assert.Equal(member.UserId, message.GetProperty("authorId").GetInt64());
        Assert.Equal(member.Username, message.GetProperty("authorUsername").GetString());
        Assert.Equal("hello there", message.GetProperty("content").GetString());
        Assert.Equal("text", message.GetProperty("messageType").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("fileUrl").ValueKind);
        Assert.Empty(message.GetProperty("readBy").EnumerateArray());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", message.GetProperty("createdAt").GetString());
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("clientMsgId").ValueKind);
        var stored = Assert.Single(await member.HistoryAsync(channel));
        Assert.Equal(message.GetRawText(), stored.GetRawText());
    }

    [Fact]
    public async Task SeqCountsUpPerChannel()
    {
        var (owner, _, workspace, channel) = await OwnerMemberChannelAsync();
        var other = await owner.CreateChannelAsync(workspace, "other");

        var seqs = new List<long>();
        foreach (var target in new[] { channel, channel, other, channel })
        {
            seqs.Add((await owner.SendMessageAsync(target)).GetProperty("seq").GetInt64());
        }

        Assert.Equal([1, 2, 1, 3], seqs);
    }

    [Fact]
    public async Task SendIsDeliveredLiveToTheChannelsSockets()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", owner);
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");

        var sent = await member.SendMessageAsync(channel, "over http");

        var live = await socket.WaitForAsync("new_message");
        Assert.Equal(channel, live.GetProperty("channelId").GetInt64());
        Assert.Equal(sent.GetProperty("id").GetInt64(), live.GetProperty("message").GetProperty("id").GetInt64());
        Assert.Equal("over http", live.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task FileMessageWithAnHttpsUrlIs201()
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();

        var (status, message) = await owner.PostAsync("/api/messages", new { channelId = channel, content = "notes.pdf", messageType = "file", fileUrl = "https://files.example/notes.pdf" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("file", message.GetProperty("messageType").GetString());
        Assert.Equal("https://files.example/notes.pdf", message.GetProperty("fileUrl").GetString());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    public async Task FileUrlThatIsNotHttpIs400(string fileUrl)
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync("/api/messages", new { channelId = channel, content = "x", messageType = "image", fileUrl }));
        Assert.Empty(await owner.HistoryAsync(channel));
    }

    [Fact]
    public async Task UnknownMessageTypeIs400()
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync("/api/messages", new { channelId = channel, content = "x", messageType = "html" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task EmptyContentIs400(string? content)
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync("/api/messages", new { channelId = channel, content }));
        Assert.Empty(await owner.HistoryAsync(channel));
    }

    [Fact]
    public async Task ContentOf4000CharactersIsAcceptedAnd4001Is400()
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();

        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync("/api/messages", new { channelId = channel, content = new string('a', 4000) })).Status);
        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync("/api/messages", new { channelId = channel, content = new string('a', 4001) }));
    }

    [Fact]
    public async Task MissingChannelIdIs400()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/messages", new { content = "where to?" }));
    }

    [Fact]
    public async Task SendToAnUnknownChannelIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.PostAsync("/api/messages", new { channelId = 999999, content = "hello?" }));
    }

    [Fact]
    public async Task MembersCannotPostInAnnouncementChannels()
    {
        var (_, member, _, channel) = await OwnerMemberChannelAsync("announcement");

        ApiAssert.Error(HttpStatusCode.Forbidden, await member.PostAsync("/api/messages", new { channelId = channel, content = "me too" }));

        Assert.Empty(await member.HistoryAsync(channel));
    }

    [Fact]
    public async Task OwnersAndAdminsPostInAnnouncementChannels()
    {
        var (owner, _, workspace, channel) = await OwnerMemberChannelAsync("announcement");
        var admin = await UserAsync("admin");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");

        await owner.SendMessageAsync(channel, "from the owner");
        await admin.SendMessageAsync(channel, "from an admin");

        Assert.Equal(2, (await admin.HistoryAsync(channel)).Length);
    }

    [Fact]
    public async Task MembersReadAnnouncementChannels()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync("announcement");
        await owner.SendMessageAsync(channel, "exam on friday");

        var history = await member.HistoryAsync(channel);

        Assert.Equal("exam on friday", Assert.Single(history).GetProperty("content").GetString());
        Assert.Equal(1, await member.UnreadAsync(channel));
    }

    [Fact]
    public async Task RepeatedClientMsgIdReturnsTheSameMessageStoredOnce()
    {
        var (_, member, _, channel) = await OwnerMemberChannelAsync();

        var (firstStatus, first) = await member.PostAsync("/api/messages", new { channelId = channel, content = "once", clientMsgId = "k-1" });
        var (againStatus, again) = await member.PostAsync("/api/messages", new { channelId = channel, content = "once", clientMsgId = "k-1" });

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(first.GetProperty("seq").GetInt64(), again.GetProperty("seq").GetInt64());
        Assert.Equal("k-1", again.GetProperty("clientMsgId").GetString());
        var stored = Assert.Single(await member.HistoryAsync(channel));
        Assert.Equal(first.GetProperty("id").GetInt64(), stored.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task RepeatedClientMsgIdWithOtherContentStillReturnsTheOriginal()
    {
        var (_, member, _, channel) = await OwnerMemberChannelAsync();
        var first = await member.SendMessageAsync(channel, "original", "k-2");

        var (status, again) = await member.PostAsync("/api/messages", new { channelId = channel, content = "edited retry", clientMsgId = "k-2" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal("original", again.GetProperty("content").GetString());
        Assert.Single(await member.HistoryAsync(channel));
    }

    [Fact]
    public async Task ClientMsgIdIsPerUserAndPerChannel()
    {
        var (owner, member, workspace, channel) = await OwnerMemberChannelAsync();
        var other = await owner.CreateChannelAsync(workspace, "other");

        var a = await member.SendMessageAsync(channel, "a", "same-key");
        var b = await owner.SendMessageAsync(channel, "b", "same-key");
        var c = await member.SendMessageAsync(other, "c", "same-key");

        Assert.Equal(3, new[] { a, b, c }.Select(m => m.GetProperty("id").GetInt64()).Distinct().Count());
        Assert.Equal(2, (await owner.HistoryAsync(channel)).Length);
    }

    [Fact]
    public async Task RepeatedClientMsgIdDeliversNothingNewLive()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", owner);
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");
        await member.SendMessageAsync(channel, "once", "k-3");
        await socket.WaitForAsync("new_message");

        Assert.Equal(HttpStatusCode.OK, (await member.PostAsync("/api/messages", new { channelId = channel, content = "once", clientMsgId = "k-3" })).Status);
        await member.SendMessageAsync(channel, "next");

        // Socket order is store order: the next new_message must be "next", not a replay of "once".
        var following = await socket.WaitForAsync("new_message");
        Assert.Equal("next", following.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneClientMsgIdStoreOneMessage()
    {
        var (_, member, _, channel) = await OwnerMemberChannelAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            member.PostAsync("/api/messages", new { channelId = channel, content = "flaky network", clientMsgId = "k-race" })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)a.Status}: {a.Body.GetRawText()}"));
        Assert.Single(answers.Select(a => a.Body.GetProperty("id").GetInt64()).Distinct());
        Assert.Single(await member.HistoryAsync(channel));
    }

    [Fact]
    public async Task ClientMsgIdOver64CharactersIs400()
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();

        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync("/api/messages", new { channelId = channel, content = "x", clientMsgId = new string('k', 64) })).Status);
        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync("/api/messages", new { channelId = channel, content = "x", clientMsgId = new string('k', 65) }));
    }

    [Fact]
    public async Task AuthorDeletesTheirMessage204()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var keep = await member.SendMessageIdAsync(channel, "keep");
        var remove = await member.SendMessageIdAsync(channel, "remove");
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", owner);
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");

        var (status, _) = await member.DeleteAsync($"/api/messages/{remove}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        var deleted = await socket.WaitForAsync("message_deleted");
        Assert.Equal(remove, deleted.GetProperty("messageId").GetInt64());
        Assert.Equal(channel, deleted.GetProperty("channelId").GetInt64());
        Assert.Equal(keep, Assert.Single(await owner.HistoryAsync(channel)).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task OwnerDeletesAMembersMessage204()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var message = await member.SendMessageIdAsync(channel);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/messages/{message}")).Status);

        Assert.Empty(await member.HistoryAsync(channel));
    }

    [Fact]
    public async Task AdminDeletesAMembersMessage204()
    {
        var (owner, member, workspace, channel) = await OwnerMemberChannelAsync();
        var admin = await UserAsync("admin");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");
        var message = await member.SendMessageIdAsync(channel);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/messages/{message}")).Status);
    }

    [Fact]
    public async Task OtherMemberDeletingIs403()
    {
        var (owner, member, workspace, channel) = await OwnerMemberChannelAsync();
        var carl = await UserAsync("carl");
        await owner.AddMemberAsync(workspace, carl.UserId);
        var message = await member.SendMessageIdAsync(channel);

        ApiAssert.Error(HttpStatusCode.Forbidden, await carl.DeleteAsync($"/api/messages/{message}"));

        Assert.Single(await owner.HistoryAsync(channel));
    }

    [Fact]
    public async Task MemberDeletingTheOwnersMessageIs403()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);

        ApiAssert.Error(HttpStatusCode.Forbidden, await member.DeleteAsync($"/api/messages/{message}"));
    }

    [Fact]
    public async Task DeletingAnUnknownMessageIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.DeleteAsync("/api/messages/999999"));
    }

    [Fact]
    public async Task DeletingTwiceIs404()
    {
        var (owner, _, _, channel) = await OwnerMemberChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.DeleteAsync($"/api/messages/{message}");

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.DeleteAsync($"/api/messages/{message}"));
    }

    [Fact]
    public async Task MarkReadIs200AndShowsInReadBy()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);

        var (status, body) = await member.PostAsync($"/api/messages/{message}/read");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(message, body.GetProperty("messageId").GetInt64());
        Assert.Equal(member.UserId, body.GetProperty("userId").GetInt64());
        Assert.Equal(channel, body.GetProperty("channelId").GetInt64());
        var readBy = Assert.Single(await owner.HistoryAsync(channel)).GetProperty("readBy").EnumerateArray().Select(e => e.GetInt64());
        Assert.Equal([member.UserId], readBy);
    }

    [Fact]
    public async Task MarkReadIsIdempotent()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);

        Assert.Equal(HttpStatusCode.OK, (await member.PostAsync($"/api/messages/{message}/read")).Status);
        Assert.Equal(HttpStatusCode.OK, (await member.PostAsync($"/api/messages/{message}/read")).Status);

        Assert.Single(Assert.Single(await owner.HistoryAsync(channel)).GetProperty("readBy").EnumerateArray());
    }

    [Fact]
    public async Task MarkReadIsDeliveredLiveToTheChannelsSockets()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", owner);
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");

        await member.PostAsync($"/api/messages/{message}/read");

        var read = await socket.WaitForAsync("message_read");
        Assert.Equal(message, read.GetProperty("messageId").GetInt64());
        Assert.Equal(member.UserId, read.GetProperty("userId").GetInt64());
        Assert.Equal(channel, read.GetProperty("channelId").GetInt64());
    }

    [Fact]
    public async Task MarkReadOfAnUnknownMessageIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.PostAsync("/api/messages/999999/read"));
    }

    [Fact]
    public async Task MarkReadOfADeletedMessageIs404()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.DeleteAsync($"/api/messages/{message}");

        ApiAssert.Error(HttpStatusCode.NotFound, await member.PostAsync($"/api/messages/{message}/read"));
    }
}
