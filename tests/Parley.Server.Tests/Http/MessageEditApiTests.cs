using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>PATCH /api/messages/:id: the author replaces their message's text; the same rules and event as <c>edit_message</c>.</summary>
public sealed class MessageEditApiTests(BackendKeyServer server) : HttpTestBase(server), IClassFixture<BackendKeyServer>
{
    private readonly BackendKeyServer _fixture = server;

    private static Task<(HttpStatusCode Status, JsonElement Body)> EditAsync(ApiClient client, long messageId, object? body) =>
        client.SendAsync(HttpMethod.Patch, $"/api/messages/{messageId}", body);

    [Fact]
    public async Task EditIs200WithTheUpdatedMessageDeliveredLiveAndInHistory()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var sent = await member.SendMessageAsync(channel, "draft");
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", owner);
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");

        var (status, edited) = await EditAsync(member, sent.GetProperty("id").GetInt64(), new { content = "  final  " });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(sent.EnumerateObject().Select(p => p.Name).Order(), edited.EnumerateObject().Select(p => p.Name).Order());
        foreach (var same in new[] { "id", "channelId", "authorId", "seq" })
        {
            Assert.Equal(sent.GetProperty(same).GetInt64(), edited.GetProperty(same).GetInt64());
        }
        Assert.Equal(sent.GetProperty("createdAt").GetString(), edited.GetProperty("createdAt").GetString());
        Assert.Equal("final", edited.GetProperty("content").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", edited.GetProperty("editedAt").GetString());

        var live = (await socket.WaitForAsync("message_updated")).GetProperty("message");
        Assert.Equal(edited.GetProperty("content").GetString(), live.GetProperty("content").GetString());
        Assert.Equal(edited.GetProperty("editedAt").GetString(), live.GetProperty("editedAt").GetString());
        var stored = Assert.Single(await owner.HistoryAsync(channel));
        Assert.Equal(edited.GetRawText(), stored.GetRawText());
    }

    [Fact]
    public async Task InvalidContentIs400AndChangesNothing()
    {
        var (_, member, _, channel) = await OwnerMemberChannelAsync();
        var id = await member.SendMessageIdAsync(channel, "unchanged");

        foreach (var body in new object?[] { new { content = "  " }, new { }, new { content = new string('x', 4001) }, null })
        {
            ApiAssert.Error(HttpStatusCode.BadRequest, await EditAsync(member, id, body));
        }
        var (_, tooLong) = await EditAsync(member, id, new { content = new string('x', 4001) });
        Assert.Equal("content must be at most 4000 characters.", tooLong.GetProperty("message").GetString());

        var stored = Assert.Single(await member.HistoryAsync(channel));
        Assert.Equal("unchanged", stored.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("editedAt").ValueKind);
    }

    [Fact]
    public async Task SomeoneElsesMessageIs403EvenForTheOwner()
    {
        var (owner, member, workspace, channel) = await OwnerMemberChannelAsync();
        var carl = await UserAsync("carl");
        await owner.AddMemberAsync(workspace, carl.UserId);
        var id = await member.SendMessageIdAsync(channel, "mine");

        foreach (var other in new[] { owner, carl })
        {
            var (status, body) = await EditAsync(other, id, new { content = "not yours" });
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("You can only edit your own messages.", body.GetProperty("message").GetString());
        }
        Assert.Equal("mine", Assert.Single(await owner.HistoryAsync(channel)).GetProperty("content").GetString());
    }

    [Fact]
    public async Task UnknownDeletedAndUnreadableMessagesAre404()
    {
        var (owner, member, _, channel) = await OwnerMemberChannelAsync();
        var deleted = await member.SendMessageIdAsync(channel, "gone");
        var kept = await member.SendMessageIdAsync(channel, "kept");
        Assert.Equal(HttpStatusCode.NoContent, (await member.DeleteAsync($"/api/messages/{deleted}")).Status);
        var outsider = await UserAsync("outsider");

        foreach (var (client, id) in new[] { (member, deleted), (member, 999_999_999L), (outsider, kept) })
        {
            var (status, body) = await EditAsync(client, id, new { content = "edited" });
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("Message not found.", body.GetProperty("message").GetString());
        }
        Assert.Equal("kept", Assert.Single(await owner.HistoryAsync(channel)).GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnAdminDemotedInAnAnnouncementChannelIs403LikeASend()
    {
        var (owner, _, workspace, channel) = await OwnerMemberChannelAsync("announcement");
        var admin = await UserAsync("admin");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");
        var id = await admin.SendMessageIdAsync(channel, "exam on friday");
        using (var backend = _fixture.Backend())
        {
            var (demoted, _) = await backend.PutAsync($"/api/server/workspaces/{workspace}/members/{admin.UserId}", new { role = "member" });
            Assert.Equal(HttpStatusCode.OK, demoted);
        }

        var (status, body) = await EditAsync(admin, id, new { content = "exam on monday" });
        var (sendStatus, sendBody) = await admin.PostAsync("/api/messages", new { channelId = channel, content = "and a send" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal((sendStatus, sendBody.GetProperty("message").GetString()), (status, body.GetProperty("message").GetString()));
        Assert.Equal("exam on friday", Assert.Single(await owner.HistoryAsync(channel)).GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnEditInADmReachesBothUsers()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var dm = await ana.OpenDmAsync(ben.UserId);
        var id = await ana.SendMessageIdAsync(dm, "helo");
        await using var benSocket = await TestSocket.ConnectAsync(Server, "/ws/chat", ben);
        await benSocket.SendAsync(new { type = "join_channel", channelId = dm });
        await benSocket.WaitForAsync("joined_channel");

        Assert.Equal(HttpStatusCode.Forbidden, (await EditAsync(ben, id, new { content = "not mine" })).Status);
        var (status, _) = await EditAsync(ana, id, new { content = "hello" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello", (await benSocket.WaitForAsync("message_updated")).GetProperty("message").GetProperty("content").GetString());
    }
}
