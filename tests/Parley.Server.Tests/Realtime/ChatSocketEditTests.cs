using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// <c>edit_message</c> on <c>/ws/chat</c> and the <c>message_updated</c> every subscriber of the channel gets. The
/// bucket does not refill during a test: each test's users take at most the 5 tokens they start with.
/// </summary>
public sealed class ChatSocketEditTests(NoRefillSendServer shared) : IClassFixture<NoRefillSendServer>
{
    private const string IsoMilliseconds = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$";
    private readonly ParleyTestServer _server = shared.Server;

    private static async Task<JsonElement> SendAsync(TestSocket socket, long channelId, string content)
    {
        await socket.SendAsync(new { type = "send_message", channelId, content });
        return (await socket.WaitForAsync("new_message", m => m.GetProperty("message").GetProperty("content").GetString() == content)).GetProperty("message");
    }

    private static async Task<JsonElement> ErrorAfterAsync(TestSocket socket, object frame)
    {
        await socket.SendAsync(frame);
        return await socket.WaitForAsync("error");
    }

    /// <summary>
    /// Sends a message through <paramref name="through"/> and waits until <paramref name="sockets"/> have it: events
    /// of a channel reach a socket in publish order, so whatever was published before has arrived by then.
    /// </summary>
    private static async Task FenceAsync(TestSocket through, long channelId, params TestSocket[] sockets)
    {
        var fence = $"fence {Guid.NewGuid():N}";
        await through.SendAsync(new { type = "send_message", channelId, content = fence });
        foreach (var socket in sockets.Prepend(through))
        {
            await socket.WaitForAsync("new_message", m => m.GetProperty("message").GetProperty("content").GetString() == fence);
        }
    }

    /// <summary>A channel whose owner and a member have joined it, and a message the member sent there.</summary>
    private async Task<WatchedMessage> WatchedMessageAsync(string content)
    {
        var scenario = await ChannelScenario.CreateAsync(_server);
        var owner = await scenario.JoinAsync(_server, scenario.Owner);
        var author = await scenario.JoinAsync(_server, scenario.Members[0]);
        return new WatchedMessage(scenario, owner, author, await SendAsync(author, scenario.ChannelId, content));
    }

    private sealed record WatchedMessage(ChannelScenario Scenario, TestSocket Owner, TestSocket Author, JsonElement Sent) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Owner.DisposeAsync();
            await Author.DisposeAsync();
            Scenario.Dispose();
        }
    }

    private static bool HasUpdate(TestSocket socket) => socket.Snapshot().Any(f => f.GetProperty("type").GetString() == "message_updated");

    [Fact]
    public async Task AnEditReachesEverySubscriberTheEditorIncludedAndHistoryShowsIt()
    {
        await using var scene = await WatchedMessageAsync("first draft");
        var (scenario, owner, author, sent) = scene;
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("editedAt").ValueKind);

        await author.SendAsync(new { type = "edit_message", messageId = sent.GetProperty("id").GetInt64(), content = "  final text  " });

        foreach (var socket in new[] { owner, author })
        {
            var frame = await socket.WaitForAsync("message_updated");
            Assert.Equal(["message", "type"], frame.EnumerateObject().Select(p => p.Name).Order());
            var updated = frame.GetProperty("message");
            Assert.Equal(sent.EnumerateObject().Select(p => p.Name).Order(), updated.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(sent.GetProperty("id").GetInt64(), updated.GetProperty("id").GetInt64());
            Assert.Equal(sent.GetProperty("seq").GetInt64(), updated.GetProperty("seq").GetInt64());
            Assert.Equal(sent.GetProperty("createdAt").GetString(), updated.GetProperty("createdAt").GetString());
            Assert.Equal(scenario.ChannelId, updated.GetProperty("channelId").GetInt64());
            Assert.Equal(scenario.Members[0].UserId, updated.GetProperty("authorId").GetInt64());
            Assert.Equal("final text", updated.GetProperty("content").GetString());
            Assert.Matches(IsoMilliseconds, updated.GetProperty("editedAt").GetString());
        }
        var live = owner.Snapshot().Single(f => f.GetProperty("type").GetString() == "message_updated").GetProperty("message");
        Assert.True(DateTime.Parse(live.GetProperty("editedAt").GetString()!) >= DateTime.Parse(live.GetProperty("createdAt").GetString()!));

        var stored = Assert.Single(await scenario.Owner.HistoryAsync(scenario.ChannelId));
        Assert.Equal("final text", stored.GetProperty("content").GetString());
        Assert.Equal(live.GetProperty("editedAt").GetString(), stored.GetProperty("editedAt").GetString());
        // The edit took no seq.
        Assert.Equal(2, (await scenario.Owner.SendMessageAsync(scenario.ChannelId, "next")).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task ReplayAfterAnEditSendsTheCurrentTextOnceAndNoEdit()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var author = await scenario.JoinAsync(_server, scenario.Owner);
        var first = await SendAsync(author, scenario.ChannelId, "one");
        await SendAsync(author, scenario.ChannelId, "two");
        await author.SendAsync(new { type = "edit_message", messageId = first.GetProperty("id").GetInt64(), content = "one, edited" });
        await author.WaitForAsync("message_updated");

        // Rejoining after everything: the edit of a message already seen is not replayed.
        await using var caughtUp = await scenario.JoinAsync(_server, scenario.Members[0], since: 2);
        // Rejoining from the start: the stored messages, as they are now, each once.
        await using var fromStart = await scenario.JoinAsync(_server, scenario.Members[0], since: 0);
        await fromStart.WaitForMessageCountAsync(2, TestSocket.DefaultTimeout);
        await FenceAsync(author, scenario.ChannelId, caughtUp, fromStart);

        Assert.False(HasUpdate(caughtUp));
        Assert.False(HasUpdate(fromStart));
        Assert.Single(caughtUp.ChatMessages());
        var replayed = fromStart.ChatMessages().Take(2).ToList();
        Assert.Equal([1L, 2L], replayed.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal("one, edited", replayed[0].GetProperty("content").GetString());
        Assert.Matches(IsoMilliseconds, replayed[0].GetProperty("editedAt").GetString());
        Assert.Equal(JsonValueKind.Null, replayed[1].GetProperty("editedAt").ValueKind);
    }

    [Fact]
    public async Task OnlyTheAuthorMayEditNotEvenTheOwner()
    {
        await using var scene = await WatchedMessageAsync("mine");
        var (scenario, owner, author, sent) = scene;

        var refused = await ErrorAfterAsync(owner, new { type = "edit_message", messageId = sent.GetProperty("id").GetInt64(), content = "yours now" });

        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
        Assert.Equal("You can only edit your own messages.", refused.GetProperty("message").GetString());
        await FenceAsync(owner, scenario.ChannelId, author);
        Assert.False(HasUpdate(author));
        Assert.False(HasUpdate(owner));
        Assert.Equal("mine", (await scenario.Owner.HistoryAsync(scenario.ChannelId))[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task DeletedUnknownAndUnreadableMessagesAreNotFound()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var author = await scenario.JoinAsync(_server, scenario.Members[0]);
        var deleted = await SendAsync(author, scenario.ChannelId, "to be deleted");
        var kept = await SendAsync(author, scenario.ChannelId, "kept");
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Members[0].DeleteAsync($"/api/messages/{deleted.GetProperty("id").GetInt64()}")).Status);
        await author.WaitForAsync("message_deleted");
        using var outsider = await ApiClient.UserAsync(_server, "outsider");
        await using var outsiderSocket = await TestSocket.ConnectAsync(_server, "/ws/chat", outsider);
        await outsiderSocket.WaitForAsync("connected");

        foreach (var (socket, messageId) in new[] { (author, deleted.GetProperty("id").GetInt64()), (author, 999_999_999L), (outsiderSocket, kept.GetProperty("id").GetInt64()) })
        {
            var error = await ErrorAfterAsync(socket, new { type = "edit_message", messageId, content = "edited" });
            Assert.Equal("not_found", error.GetProperty("code").GetString());
            Assert.Equal("Message not found.", error.GetProperty("message").GetString());
        }
        await FenceAsync(author, scenario.ChannelId);
        Assert.False(HasUpdate(author));
        Assert.Equal(["kept"], (await scenario.Owner.HistoryAsync(scenario.ChannelId)).Take(1).Select(m => m.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task TheContentIsValidatedLikeASend()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var author = await scenario.JoinAsync(_server, scenario.Owner);
        var sent = await SendAsync(author, scenario.ChannelId, "valid");
        var id = sent.GetProperty("id").GetInt64();

        var blank = await ErrorAfterAsync(author, new { type = "edit_message", messageId = id, content = "   " });
        Assert.Equal(("bad_request", "channelId and content are required."), (blank.GetProperty("code").GetString(), blank.GetProperty("message").GetString()));
        var missing = await ErrorAfterAsync(author, new { type = "edit_message", messageId = id });
        Assert.Equal("bad_request", missing.GetProperty("code").GetString());
        var tooLong = await ErrorAfterAsync(author, new { type = "edit_message", messageId = id, content = new string('x', 4001) });
        Assert.Equal(("too_large", "content must be at most 4000 characters."), (tooLong.GetProperty("code").GetString(), tooLong.GetProperty("message").GetString()));
        var noId = await ErrorAfterAsync(author, new { type = "edit_message", content = "x" });
        Assert.Equal("bad_request", noId.GetProperty("code").GetString());

        await author.SendAsync(new { type = "edit_message", messageId = id, content = new string('y', 4000) });
        Assert.Equal(4000, (await author.WaitForAsync("message_updated")).GetProperty("message").GetProperty("content").GetString()!.Length);
    }

    [Fact]
    public async Task AnAuthorRemovedFromTheWorkspaceIsRefusedLikeASend()
    {
        await using var scene = await WatchedMessageAsync("before removal");
        var (scenario, owner, author, sent) = scene;
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Owner.DeleteAsync($"/api/workspaces/{scenario.WorkspaceId}/members/{scenario.Members[0].UserId}")).Status);
        await author.WaitForAsync("left_channel");

        var refused = await ErrorAfterAsync(author, new { type = "edit_message", messageId = sent.GetProperty("id").GetInt64(), content = "after removal" });

        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
        Assert.Equal("You are not a member of this workspace.", refused.GetProperty("message").GetString());
        await FenceAsync(owner, scenario.ChannelId);
        Assert.False(HasUpdate(owner));
    }

    [Fact]
    public async Task EditsDrawOnTheSendBucket()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var author = await scenario.JoinAsync(_server, scenario.Owner);
        // The bucket holds 5: one send and four edits take them all.
        var sent = await SendAsync(author, scenario.ChannelId, "v0");
        for (var version = 1; version <= 4; version++)
        {
            await author.SendAsync(new { type = "edit_message", messageId = sent.GetProperty("id").GetInt64(), content = $"v{version}" });
            var content = $"v{version}";
            await author.WaitForAsync("message_updated", f => f.GetProperty("message").GetProperty("content").GetString() == content);
        }

        var refused = await ErrorAfterAsync(author, new { type = "edit_message", messageId = sent.GetProperty("id").GetInt64(), content = "v5" });

        Assert.Equal("rate_limited", refused.GetProperty("code").GetString());
        Assert.Equal("You are sending messages too fast. Please wait.", refused.GetProperty("message").GetString());
        Assert.Equal("v4", Assert.Single(await scenario.Owner.HistoryAsync(scenario.ChannelId)).GetProperty("content").GetString());
    }
}
