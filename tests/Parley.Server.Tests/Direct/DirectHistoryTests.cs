using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Direct;

public sealed class DirectHistoryTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    // History pages need more messages than the default send bucket allows.
    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:TokenLimit"] = "1000", ["RateLimit:TokensPerPeriod"] = "1000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HistoryIsOldestFirstWithLimitAndBefore()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        var ids = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            var sender = i % 2 == 0 ? anaSocket : benSocket;
            ids.Add((await sender.SendDmAsync(i % 2 == 0 ? ben.UserId : ana.UserId, $"m{i}")).GetProperty("id").GetString()!);
        }
        var conversation = DirectSockets.Conversation(ana.UserId, ben.UserId);

        async Task<List<JsonElement>> Page(object request)
        {
            await benSocket.SendAsync(request);
            var response = (await benSocket.WaitForAsync("history_response")).Payload();
            Assert.Equal(conversation, response.GetProperty("conversationId").GetString());
            return [.. response.GetProperty("messages").EnumerateArray()];
        }

        var defaultPage = await Page(new { type = "fetch_history", conversationId = conversation });
        Assert.Equal(ids[70..], defaultPage.Select(m => m.GetProperty("id").GetString()));
        var clamped = await Page(new { type = "fetch_history", conversationId = conversation, limit = 500 });
        Assert.Equal(ids[20..], clamped.Select(m => m.GetProperty("id").GetString()));
        var before = await Page(new { type = "fetch_history", conversationId = conversation, before = ids[10], limit = 3 });
        Assert.Equal(ids[7..10], before.Select(m => m.GetProperty("id").GetString()));
        var numericBefore = await Page(new { type = "fetch_history", conversationId = conversation, before = long.Parse(ids[10], System.Globalization.CultureInfo.InvariantCulture), limit = 3 });
        Assert.Equal(ids[7..10], numericBefore.Select(m => m.GetProperty("id").GetString()));

        // m7 is from ben (odd), m8 from ana.
        Assert.Equal("m7", before[0].GetProperty("content").GetString());
        Assert.Equal(ben.UserId, before[0].GetProperty("senderId").GetInt64());
        Assert.Equal(ana.UserId, before[0].GetProperty("recipientId").GetInt64());
        Assert.Equal(ana.UserId, before[1].GetProperty("senderId").GetInt64());
        Assert.Equal(ben.UserId, before[1].GetProperty("recipientId").GetInt64());
    }

    [Fact]
    public async Task AFreshSocketOfEitherParticipantFindsTheConversationByItsPair()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var partners = new List<ApiClient>();
        await using (var sending = await DirectSockets.ConnectAsync(_server, ana))
        {
            for (var i = 0; i < 4; i++)
            {
                partners.Add(await ApiClient.UserAsync(_server, "partner"));
                await sending.SendDmAsync(partners[i].UserId, $"to partner {i}");
            }
        }
        var ben = partners[2];

        // New sockets have looked no conversation up yet: the channel comes from the store, by the pair.
        foreach (var user in new[] { ana, ben })
        {
            await using var socket = await DirectSockets.ConnectAsync(_server, user);
            await socket.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId) });
            var messages = (await socket.WaitForAsync("history_response")).Payload().GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(["to partner 2"], messages.Select(m => m.GetProperty("content").GetString()));
        }
        foreach (var partner in partners)
        {
            partner.Dispose();
        }
    }

    [Fact]
    public async Task NonParticipantsAndMalformedIdsGetConversationNotFound()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var calSocket = await DirectSockets.ConnectAsync(_server, cal);
        await anaSocket.SendDmAsync(ben.UserId, "private");
        var theirs = DirectSockets.Conversation(ana.UserId, ben.UserId);
        var (low, high) = (Math.Min(ana.UserId, ben.UserId), Math.Max(ana.UserId, ben.UserId));

        string[] ids =
        [
            theirs, $"conv_{high}_{low}", $"conv_{cal.UserId}_999999999", "conv_", "conv_x_y", "nonsense",
            $"conv_0{low}_{high}", $"conv_{cal.UserId}_{cal.UserId}", $"conv_-1_{cal.UserId}",
        ];
        foreach (var type in new[] { "fetch_history", "subscribe", "unsubscribe" })
        {
            foreach (var conversationId in ids)
            {
                await calSocket.SendAsync(new { type, conversationId });
                var error = await calSocket.WaitForAsync("error");
                Assert.Equal("Conversation not found", error.GetProperty("message").GetString());
                Assert.Equal("not_found", error.GetProperty("code").GetString());
            }
        }
        await calSocket.SendAsync(new { type = "fetch_history" });
        Assert.Equal("bad_request", (await calSocket.WaitForAsync("error")).GetProperty("code").GetString());
        Assert.DoesNotContain(calSocket.Snapshot(), f => f.GetProperty("type").GetString() is "history_response" or "subscribed" or "unsubscribed");
    }

    [Fact]
    public async Task ParticipantsSubscribeAndUnsubscribe()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);
        var conversation = DirectSockets.Conversation(ana.UserId, ben.UserId);

        await socket.SendAsync(new { type = "subscribe", conversationId = conversation });
        var subscribed = await socket.WaitForAsync("subscribed");
        await socket.SendAsync(new { type = "unsubscribe", conversationId = conversation });
        var unsubscribed = await socket.WaitForAsync("unsubscribed");

        Assert.Equal(conversation, subscribed.Payload().GetProperty("conversationId").GetString());
        Assert.Equal(conversation, unsubscribed.Payload().GetProperty("conversationId").GetString());
    }

    [Fact]
    public async Task AConversationWithoutMessagesHasEmptyHistory()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var socket = await DirectSockets.ConnectAsync(_server, ana);

        await socket.SendAsync(new { type = "fetch_history", conversationId = DirectSockets.Conversation(ana.UserId, ben.UserId) });

        Assert.Equal(0, (await socket.WaitForAsync("history_response")).Payload().GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task ConversationsListNewestActivityFirstWithUnreadCounts()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        using var dan = await ApiClient.UserAsync(_server, "dan");
        await using var anaSocket = await DirectSockets.ConnectAsync(_server, ana);
        await using var benSocket = await DirectSockets.ConnectAsync(_server, ben);
        await using var calSocket = await DirectSockets.ConnectAsync(_server, cal);
        await ana.PostAsync("/api/channels/dm", new { userId = dan.UserId });
        await benSocket.SendDmAsync(ana.UserId, "from ben 1");
        await benSocket.SendDmAsync(ana.UserId, "from ben 2");
        await calSocket.SendDmAsync(ana.UserId, "from cal");
        var last = await anaSocket.SendDmAsync(ben.UserId, "to ben");

        var (status, body) = await ana.GetAsync("/api/messagepal/conversations");

        Assert.Equal(HttpStatusCode.OK, status);
        var list = body.EnumerateArray().ToList();
        Assert.Equal(
            [DirectSockets.Conversation(ana.UserId, ben.UserId), DirectSockets.Conversation(ana.UserId, cal.UserId), DirectSockets.Conversation(ana.UserId, dan.UserId)],
            list.Select(c => c.GetProperty("id").GetString()));
        var withBen = list[0];
        Assert.Equal(2, withBen.GetProperty("unreadCount").GetInt32());
        Assert.Equal(last.GetProperty("id").GetString(), withBen.GetProperty("lastMessage").GetProperty("id").GetString());
        Assert.Equal("to ben", withBen.GetProperty("lastMessage").GetProperty("content").GetString());
        var participants = withBen.GetProperty("participants").EnumerateArray().ToList();
        Assert.Equal([ana.UserId, ben.UserId], participants.Select(p => p.GetProperty("id").GetInt64()).Order());
        foreach (var participant in participants)
        {
            Assert.Equal(["displayName", "id", "role", "username"], participant.EnumerateObject().Select(p => p.Name).Order());
        }
        Assert.Equal(1, list[1].GetProperty("unreadCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, list[2].GetProperty("lastMessage").ValueKind);
        Assert.Equal(0, list[2].GetProperty("unreadCount").GetInt32());

        var (anonymous, _) = await ApiClient.Anonymous(_server).GetAsync("/api/messagepal/conversations");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }
}
