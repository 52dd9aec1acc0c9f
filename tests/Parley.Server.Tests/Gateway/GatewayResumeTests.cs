using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

public sealed class GatewayResumeTests(GatewayServerFixture fixture) : IClassFixture<GatewayServerFixture>
{
    private readonly ParleyTestServer _server = fixture.Server;

    [Fact]
    public async Task ResumeInsideTheWindowReplaysExactlyWhatWasMissedThenGoesLive()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace);
        var (before, ready) = await GatewaySockets.IdentifyAsync(_server, ben);
        var sessionId = ready.D().GetProperty("sessionId").GetString();
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "seen" });
        var lastSeen = await before.DispatchAsync("MESSAGE_CREATE");
        Assert.Equal(2, lastSeen.S());
        await before.DisposeAsync();

        await ana.PostAsync("/api/messages", new { channelId = channel, content = "missed 1" });
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "missed 2" });
        var missedChannel = await ana.CreateChannelAsync(workspace, "missed");

        await using var after = await GatewaySockets.OpenAsync(_server, ben);
        await after.SendAsync(new { op = "RESUME", d = new { sessionId, seq = 2 } });
        var replayed = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            replayed.Add(await after.NextAsync(TestSocket.DefaultTimeout));
        }
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "live" });
        var live = await after.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("content").GetString() == "live");

        Assert.Equal([3L, 4L, 5L], replayed.Select(f => f.S()));
        Assert.Equal(["MESSAGE_CREATE", "MESSAGE_CREATE", "CHANNEL_CREATE"], replayed.Select(f => f.T()));
        Assert.Equal("missed 1", replayed[0].D().GetProperty("content").GetString());
        Assert.Equal("missed 2", replayed[1].D().GetProperty("content").GetString());
        Assert.Equal(missedChannel, replayed[2].D().GetProperty("id").GetInt64());
        Assert.Equal(6, live.S());
        Assert.Equal([3L, 4L, 5L, 6L], after.Dispatches().Select(f => f.S()));
        await after.SendAsync(new { op = "HEARTBEAT" });
        await after.OpAsync("HEARTBEAT_ACK");
    }

    [Fact]
    public async Task ResumeFromAnEarlierSeqReplaysFromThere()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        var (before, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        for (var i = 0; i < 3; i++)
        {
            await ana.PostAsync("/api/messages", new { channelId = channel, content = $"m{i}" });
        }
        await before.DispatchAsync("MESSAGE_CREATE", f => f.S() == 4);
        await before.DisposeAsync();

        await using var after = await GatewaySockets.OpenAsync(_server, ana);
        await after.SendAsync(new { op = "RESUME", d = new { sessionId = ready.D().GetProperty("sessionId").GetString(), seq = 2 } });

        Assert.Equal(3, (await after.NextAsync()).S());
        Assert.Equal(4, (await after.NextAsync()).S());
    }

    [Fact]
    public async Task ResumeDropsEventsOfWorkspacesTheUserLeft()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        var left = await ana.CreateWorkspaceAsync("left");
        var kept = await ana.CreateWorkspaceAsync("kept");
        await ana.AddMemberAsync(left, ben.UserId);
        await ana.AddMemberAsync(kept, ben.UserId);
        var leftChannel = await ana.CreateChannelAsync(left);
        var keptChannel = await ana.CreateChannelAsync(kept);
        var (before, ready) = await GatewaySockets.IdentifyAsync(_server, ben);
        await before.DisposeAsync();

        await ana.PostAsync("/api/messages", new { channelId = leftChannel, content = "while still a member" });
        await ana.DeleteAsync($"/api/workspaces/{left}/members/{ben.UserId}");
        await ana.PostAsync("/api/messages", new { channelId = keptChannel, content = "kept" });

        await using var after = await GatewaySockets.OpenAsync(_server, ben);
        await after.SendAsync(new { op = "RESUME", d = new { sessionId = ready.D().GetProperty("sessionId").GetString(), seq = 1 } });
        await after.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("content").GetString() == "kept");

        Assert.Equal(["GUILD_DELETE", "MESSAGE_CREATE"], after.Dispatches().Select(f => f.T()));
        Assert.Equal(left, after.Dispatches()[0].D().GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ResumeAfterLogoutIsInvalidAndReplaysNothing()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        var (before, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await ana.PostAsync("/api/auth/logout");
        Assert.Equal(4001, await before.WaitForCloseAsync());
        await before.DisposeAsync();
        var (login, _) = await ana.PostAsync("/api/auth/login", new { username = ana.Username, password = "password123" });
        Assert.Equal(HttpStatusCode.OK, login);
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "after logout" });

        await using var after = await GatewaySockets.OpenAsync(_server, ana);
        await after.SendAsync(new { op = "RESUME", d = new { sessionId = ready.D().GetProperty("sessionId").GetString(), seq = 1 } });

        await after.OpAsync("INVALID_SESSION");
        Assert.Empty(after.Dispatches());
        // The socket may still identify afresh.
        await after.SendAsync(new { op = "IDENTIFY", d = new { userId = ana.UserId } });
        Assert.Equal(1, (await after.DispatchAsync("READY")).S());
    }

    [Fact]
    public async Task ResumingSomeoneElsesSessionIsInvalid()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var cal = await ApiClient.UserAsync(_server, "cal");
        var (anaGateway, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await anaGateway.DisposeAsync();

        await using var calGateway = await GatewaySockets.OpenAsync(_server, cal);
        await calGateway.SendAsync(new { op = "RESUME", d = new { sessionId = ready.D().GetProperty("sessionId").GetString(), seq = 1 } });

        Assert.Equal(["op"], (await calGateway.OpAsync("INVALID_SESSION")).EnumerateObject().Select(p => p.Name));
        Assert.Empty(calGateway.Dispatches());
    }

    [Theory]
    [InlineData("gw_unknown", 1)]
    [InlineData(null, 99)]
    [InlineData(null, 0)]
    [InlineData(null, -1)]
    public async Task UnknownSessionsAndSeqsOutOfRangeAreInvalid(string? sessionId, long seq)
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (before, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await before.DisposeAsync();

        await using var after = await GatewaySockets.OpenAsync(_server, ana);
        await after.SendAsync(new { op = "RESUME", d = new { sessionId = sessionId ?? ready.D().GetProperty("sessionId").GetString(), seq } });

        await after.OpAsync("INVALID_SESSION");
        Assert.Equal(WebSocketState.Open, after.Socket.State);
    }

    [Fact]
    public async Task ResumeWithoutItsFieldsIsInvalid()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        await socket.SendAsync(new { op = "RESUME" });

        await socket.OpAsync("INVALID_SESSION");
    }

    [Fact]
    public async Task ResumingASessionStillOpenElsewhereTakesItOver()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        var (old, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var o = old;

        await using var taker = await GatewaySockets.OpenAsync(_server, ana);
        await taker.SendAsync(new { op = "RESUME", d = new { sessionId = ready.D().GetProperty("sessionId").GetString(), seq = 1 } });
        Assert.Equal(1000, await old.WaitForCloseAsync());
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "to the taker" });

        Assert.Equal(2, (await taker.DispatchAsync("MESSAGE_CREATE")).S());
    }
}
