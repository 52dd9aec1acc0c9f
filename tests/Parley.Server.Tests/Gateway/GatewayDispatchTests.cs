using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Direct;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

public sealed class GatewayDispatchTests(GatewayServerFixture fixture) : IClassFixture<GatewayServerFixture>
{
    private readonly ParleyTestServer _server = fixture.Server;

    [Fact]
    public async Task ReadyTellsWhoIsOnlineInEachGuildsChannels()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server, members: 2);
        await using var owner = await scenario.JoinAsync(_server, scenario.Owner);
        await using var member = await scenario.JoinAsync(_server, scenario.Members[0]);

        var (gateway, ready) = await GatewaySockets.IdentifyAsync(_server, scenario.Members[1]);
        await using var _ = gateway;
        var guild = ready.D().GetProperty("guilds").EnumerateArray().Single(g => g.GetProperty("id").GetInt64() == scenario.WorkspaceId);
        var presences = guild.GetProperty("presences").EnumerateArray().ToList();
        Assert.Equal([scenario.Owner.UserId, scenario.Members[0].UserId], presences.Select(p => p.GetProperty("userId").GetInt64()).Order());
        Assert.All(presences, p =>
        {
            Assert.Equal("online", p.GetProperty("status").GetString());
            Assert.Equal(scenario.ChannelId, p.GetProperty("channelId").GetInt64());
            Assert.Equal(scenario.WorkspaceId, p.GetProperty("guildId").GetInt64());
        });
    }

    [Fact]
    public async Task ReadyTellsWhoIsOnlineInEachOfSeveralChannelsOfAGuild()
    {
        await using var online = await SeveralChannelsOnline.CreateAsync(_server, _server);

        var (gateway, ready) = await GatewaySockets.IdentifyAsync(_server, online.Reader);
        await using var _ = gateway;

        // One presence per (channel, user), whatever the tabs; nobody online in a channel is not listed there.
        Assert.Equal(online.Expected, online.PresencesIn(ready));
    }

    [Fact]
    public async Task WorkspaceEventsReachMembersOnlyWithIncreasingSeq()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        using var dan = await ApiClient.UserAsync(_server, "dan");
        var workspace = await ana.CreateWorkspaceAsync("school");
        await ana.AddMemberAsync(workspace, ben.UserId);
        var (anaGateway, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        var (benGateway, _) = await GatewaySockets.IdentifyAsync(_server, ben);
        var (calGateway, _) = await GatewaySockets.IdentifyAsync(_server, cal);
        var (danGateway, _) = await GatewaySockets.IdentifyAsync(_server, dan);
        await using var a = anaGateway;
        await using var b = benGateway;
        await using var c = calGateway;
        await using var d = danGateway;
        var members = new[] { anaGateway, benGateway };

        var channel = await ana.CreateChannelAsync(workspace, "general");
        foreach (var socket in members)
        {
            var created = (await socket.DispatchAsync("CHANNEL_CREATE")).D();
            Assert.Equal(channel, created.GetProperty("id").GetInt64());
            Assert.Equal(workspace, created.GetProperty("guildId").GetInt64());
            Assert.Equal("general", created.GetProperty("name").GetString());
            Assert.Equal("text", created.GetProperty("type").GetString());
        }

        var (_, posted) = await ana.PostAsync("/api/messages", new { channelId = channel, content = "hello", clientMsgId = "c1" });
        foreach (var socket in members)
        {
            var message = (await socket.DispatchAsync("MESSAGE_CREATE")).D();
            // d is the message exactly as new_message carries it.
            Assert.Equal(posted.EnumerateObject().Select(p => p.Name).Order(), message.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(posted.GetProperty("id").GetInt64(), message.GetProperty("id").GetInt64());
            Assert.Equal(channel, message.GetProperty("channelId").GetInt64());
            Assert.Equal(ana.UserId, message.GetProperty("authorId").GetInt64());
            Assert.Equal("hello", message.GetProperty("content").GetString());
            Assert.Equal(1, message.GetProperty("seq").GetInt64());
            Assert.Equal("c1", message.GetProperty("clientMsgId").GetString());
        }

        var pinPath = $"/api/channels/{channel}/pin/{posted.GetProperty("id").GetInt64()}";
        await ana.PostAsync(pinPath);
        await ana.DeleteAsync(pinPath);
        foreach (var socket in members)
        {
            var pinned = (await socket.DispatchAsync("CHANNEL_PINS_UPDATE")).D();
            Assert.Equal(channel, pinned.GetProperty("channelId").GetInt64());
            Assert.Equal(workspace, pinned.GetProperty("guildId").GetInt64());
            Assert.Equal(posted.GetProperty("id").GetInt64(), pinned.GetProperty("messageId").GetInt64());
            Assert.True(pinned.GetProperty("pinned").GetBoolean());
            Assert.Equal(JsonValueKind.String, pinned.GetProperty("lastPinTimestamp").ValueKind);
            var unpinned = (await socket.DispatchAsync("CHANNEL_PINS_UPDATE", f => !f.D().GetProperty("pinned").GetBoolean())).D();
            Assert.Equal(JsonValueKind.Null, unpinned.GetProperty("lastPinTimestamp").ValueKind);
        }

        await ana.DeleteAsync($"/api/messages/{posted.GetProperty("id").GetInt64()}");
        foreach (var socket in members)
        {
            var deleted = (await socket.DispatchAsync("MESSAGE_DELETE")).D();
            Assert.Equal(posted.GetProperty("id").GetInt64(), deleted.GetProperty("id").GetInt64());
            Assert.Equal(channel, deleted.GetProperty("channelId").GetInt64());
            Assert.Equal(workspace, deleted.GetProperty("guildId").GetInt64());
        }

        await using (var benChat = await TestSocket.ConnectAsync(_server, "/ws/chat", ben))
        {
            await benChat.SendAsync(new { type = "join_channel", channelId = channel });
            var online = (await anaGateway.DispatchAsync("PRESENCE_UPDATE")).D();
            Assert.Equal(ben.UserId, online.GetProperty("userId").GetInt64());
            Assert.Equal("online", online.GetProperty("status").GetString());
        }
        var offline = (await anaGateway.DispatchAsync("PRESENCE_UPDATE")).D();
        Assert.Equal("offline", offline.GetProperty("status").GetString());

        await ana.AddMemberAsync(workspace, dan.UserId);
        var guild = (await danGateway.DispatchAsync("GUILD_CREATE")).D();
        Assert.Equal(workspace, guild.GetProperty("id").GetInt64());
        Assert.Equal("school", guild.GetProperty("name").GetString());
        Assert.Equal(channel, Assert.Single(guild.GetProperty("channels").EnumerateArray()).GetProperty("id").GetInt64());
        foreach (var socket in new[] { anaGateway, benGateway, danGateway })
        {
            var added = (await socket.DispatchAsync("GUILD_MEMBER_ADD")).D();
            Assert.Equal(workspace, added.GetProperty("guildId").GetInt64());
            Assert.Equal(dan.UserId, added.GetProperty("userId").GetInt64());
        }

        var (removedStatus, _) = await ana.DeleteAsync($"/api/workspaces/{workspace}/members/{dan.UserId}");
        Assert.Equal(HttpStatusCode.NoContent, removedStatus);
        Assert.Equal(workspace, (await danGateway.DispatchAsync("GUILD_DELETE")).D().GetProperty("id").GetInt64());
        foreach (var socket in members)
        {
            var removed = (await socket.DispatchAsync("GUILD_MEMBER_REMOVE")).D();
            Assert.Equal(workspace, removed.GetProperty("guildId").GetInt64());
            Assert.Equal(dan.UserId, removed.GetProperty("userId").GetInt64());
        }

        // Fence: cal's own workspace; dispatches are delivered in publish order, so everything before it is out.
        var calsOwn = await cal.CreateWorkspaceAsync("cal's");
        await calGateway.DispatchAsync("GUILD_CREATE");
        Assert.Equal(["READY", "GUILD_CREATE"], calGateway.Dispatches().Select(f => f.T()));
        Assert.Equal(calsOwn, calGateway.Dispatches()[1].D().GetProperty("id").GetInt64());
        Assert.DoesNotContain(danGateway.Dispatches().Skip(1), f => f.T() is "MESSAGE_CREATE" or "MESSAGE_DELETE" or "CHANNEL_PINS_UPDATE" or "CHANNEL_CREATE" or "GUILD_MEMBER_REMOVE");

        foreach (var socket in new[] { anaGateway, benGateway, calGateway, danGateway })
        {
            var seqs = socket.Dispatches().Select(f => f.S()).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        }
    }

    [Fact]
    public async Task AnEditIsAMessageUpdateForMembersAndTheDmsUsersOnly()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        var workspace = await ana.CreateWorkspaceAsync("school");
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace, "general");
        var dm = await ana.OpenDmAsync(ben.UserId);
        var (anaGateway, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        var (benGateway, _) = await GatewaySockets.IdentifyAsync(_server, ben);
        var (calGateway, _) = await GatewaySockets.IdentifyAsync(_server, cal);
        await using var a = anaGateway;
        await using var b = benGateway;
        await using var c = calGateway;

        foreach (var target in new[] { channel, dm })
        {
            var posted = await ana.SendMessageAsync(target, "helo");
            var created = (await benGateway.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("channelId").GetInt64() == target)).D();
            var (status, edited) = await ana.SendAsync(HttpMethod.Patch, $"/api/messages/{posted.GetProperty("id").GetInt64()}", new { content = "hello" });
            Assert.Equal(HttpStatusCode.OK, status);

            foreach (var socket in new[] { anaGateway, benGateway })
            {
                var update = (await socket.DispatchAsync("MESSAGE_UPDATE", f => f.D().GetProperty("channelId").GetInt64() == target)).D();
                // d is the message as MESSAGE_CREATE has it, plus edited_timestamp.
                Assert.Equal(created.EnumerateObject().Select(p => p.Name).Append("edited_timestamp").Order(), update.EnumerateObject().Select(p => p.Name).Order());
                Assert.Equal(posted.GetProperty("id").GetInt64(), update.GetProperty("id").GetInt64());
                Assert.Equal(posted.GetProperty("seq").GetInt64(), update.GetProperty("seq").GetInt64());
                Assert.Equal("hello", update.GetProperty("content").GetString());
                Assert.Equal(edited.GetProperty("editedAt").GetString(), update.GetProperty("editedAt").GetString());
                Assert.Equal(edited.GetProperty("editedAt").GetString(), update.GetProperty("edited_timestamp").GetString());
            }
        }

        // Fence: dispatches go out in publish order, so cal has had every dispatch meant for them by now.
        await cal.CreateWorkspaceAsync("cal's");
        await calGateway.DispatchAsync("GUILD_CREATE");
        Assert.DoesNotContain(calGateway.Dispatches(), f => f.T() is "MESSAGE_CREATE" or "MESSAGE_UPDATE");
    }

    [Fact]
    public async Task CreatingAWorkspaceSendsGuildCreateToItsOwner()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;
        Assert.Equal(0, ready.D().GetProperty("guilds").GetArrayLength());

        var workspace = await ana.CreateWorkspaceAsync("fresh");

        var guild = await socket.DispatchAsync("GUILD_CREATE");
        Assert.Equal(workspace, guild.D().GetProperty("id").GetInt64());
        Assert.Equal(0, guild.D().GetProperty("channels").GetArrayLength());
        Assert.Equal(2, guild.S());
    }

    [Fact]
    public async Task DmMessagesReachOnlyTheTwoDmUsers()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        var (anaGateway, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        var (benGateway, _) = await GatewaySockets.IdentifyAsync(_server, ben);
        var (calGateway, _) = await GatewaySockets.IdentifyAsync(_server, cal);
        await using var a = anaGateway;
        await using var b = benGateway;
        await using var c = calGateway;
        await using var anaDirect = await DirectSockets.ConnectAsync(_server, ana);

        var sent = await anaDirect.SendDmAsync(ben.UserId, "just us");

        foreach (var socket in new[] { anaGateway, benGateway })
        {
            var message = (await socket.DispatchAsync("MESSAGE_CREATE")).D();
            Assert.Equal(sent.GetProperty("id").GetString(), message.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("just us", message.GetProperty("content").GetString());
        }
        await cal.CreateWorkspaceAsync("fence");
        await calGateway.DispatchAsync("GUILD_CREATE");
        Assert.DoesNotContain(calGateway.Dispatches(), f => f.T() == "MESSAGE_CREATE");
    }

    [Fact]
    public async Task RemovalStopsDispatchesAtOnce()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var left = await ana.CreateWorkspaceAsync("left");
        var kept = await ana.CreateWorkspaceAsync("kept");
        await ana.AddMemberAsync(left, ben.UserId);
        await ana.AddMemberAsync(kept, ben.UserId);
        var leftChannel = await ana.CreateChannelAsync(left);
        var keptChannel = await ana.CreateChannelAsync(kept);
        var (benGateway, _) = await GatewaySockets.IdentifyAsync(_server, ben);
        await using var owned = benGateway;
        await ana.PostAsync("/api/messages", new { channelId = leftChannel, content = "before" });
        await benGateway.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("content").GetString() == "before");

        await ana.DeleteAsync($"/api/workspaces/{left}/members/{ben.UserId}");
        await ana.PostAsync("/api/messages", new { channelId = leftChannel, content = "after" });
        await ana.CreateChannelAsync(left, "secret");
        await ana.PostAsync("/api/messages", new { channelId = keptChannel, content = "elsewhere" });

        await benGateway.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("content").GetString() == "elsewhere");
        var afterRemoval = benGateway.Dispatches().SkipWhile(f => f.T() != "GUILD_DELETE").ToList();
        Assert.Equal(["GUILD_DELETE", "MESSAGE_CREATE"], afterRemoval.Select(f => f.T()));
        Assert.Equal(left, afterRemoval[0].D().GetProperty("id").GetInt64());
        Assert.DoesNotContain(benGateway.Dispatches(), f => f.T() == "MESSAGE_CREATE" && f.D().GetProperty("content").GetString() == "after");
    }

    [Fact]
    public async Task EverySocketOfAUserNumbersItsOwnSequence()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        var (first, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var f = first;
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "one" });
        await first.DispatchAsync("MESSAGE_CREATE");
        var (second, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var s = second;

        await ana.PostAsync("/api/messages", new { channelId = channel, content = "two" });

        Assert.Equal(3, (await first.DispatchAsync("MESSAGE_CREATE")).S());
        Assert.Equal(2, (await second.DispatchAsync("MESSAGE_CREATE")).S());
    }
}
