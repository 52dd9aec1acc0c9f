using System.Net.WebSockets;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

public sealed class GatewayHandshakeTests(GatewayServerFixture fixture) : IClassFixture<GatewayServerFixture>
{
    private readonly ParleyTestServer _server = fixture.Server;

    [Fact]
    public async Task HelloAnnouncesTheDefaultHeartbeatInterval()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await TestSocket.ConnectAsync(_server, "/gateway", ana);

        var hello = await socket.NextAsync();

        Assert.Equal("HELLO", hello.GetProperty("op").GetString());
        Assert.Equal(41250, hello.GetProperty("d").GetProperty("heartbeat_interval").GetInt64());
    }

    [Fact]
    public async Task UnauthenticatedSocketIsClosed4001WithoutAnyFrame()
    {
        await using var socket = await TestSocket.ConnectAsync(_server, "/gateway");

        Assert.Equal(4001, await socket.WaitForCloseAsync());
        Assert.Empty(socket.Snapshot());
    }

    [Fact]
    public async Task IdentifyAnswersReadyWithUserGuildsAndSession()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var workspace = await ana.CreateWorkspaceAsync("school");
        var general = await ana.CreateChannelAsync(workspace, "general");
        var news = await ana.CreateChannelAsync(workspace, "news", "announcement");

        var (socket, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        Assert.Equal(1, ready.S());
        Assert.False(ready.TryGetProperty("op", out _));
        var d = ready.D();
        var user = d.GetProperty("user");
        Assert.Equal(ana.UserId, user.GetProperty("id").GetInt64());
        Assert.Equal(ana.Username, user.GetProperty("username").GetString());
        var userFields = user.EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain(userFields, f => f.Contains("password") || f.Contains("hash") || f.Contains("secret") || f.Contains("token"));
        var guild = Assert.Single(d.GetProperty("guilds").EnumerateArray());
        Assert.Equal(workspace, guild.GetProperty("id").GetInt64());
        Assert.Equal("school", guild.GetProperty("name").GetString());
        Assert.Equal([general, news], guild.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.False(string.IsNullOrEmpty(d.GetProperty("sessionId").GetString()));
    }

    [Fact]
    public async Task IdentifyWithAnApiTokenWorksToo()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (_, token) = await ana.PostAsync("/api/auth/tokens", new { name = "bot" });
        await using var socket = await TestSocket.ConnectAsync(_server, $"/gateway?token={token.GetProperty("token").GetString()}");
        await socket.OpAsync("HELLO");

        await socket.SendAsync(new { op = "IDENTIFY", d = new { userId = ana.UserId } });

        Assert.Equal(ana.UserId, (await socket.DispatchAsync("READY")).D().GetProperty("user").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task IdentifyClaimingAnotherUserCloses4001()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        using var ben = await ApiClient.UserAsync(_server, "ben");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        await socket.SendAsync(new { op = "IDENTIFY", d = new { userId = ben.UserId } });

        Assert.Equal(4001, await socket.WaitForCloseAsync());
        Assert.Empty(socket.Dispatches());
    }

    [Fact]
    public async Task HeartbeatIsAcknowledged()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        await socket.SendAsync(new { op = "HEARTBEAT" });

        var ack = await socket.OpAsync("HEARTBEAT_ACK");
        Assert.Equal(["op"], ack.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("HEARTBEAT")]
    [InlineData("SOMETHING")]
    public async Task AnOpBeforeIdentifyCloses4003(string op)
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        await socket.SendAsync(new { op });

        Assert.Equal(4003, await socket.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("IDENTIFY")]
    [InlineData("RESUME")]
    public async Task IdentifyingTwiceCloses4005(string second)
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        await socket.SendAsync(new { op = second, d = new { userId = ana.UserId, sessionId = ready.D().GetProperty("sessionId").GetString(), seq = 1 } });

        Assert.Equal(4005, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task APayloadOver4096BytesCloses4002()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        await socket.SendAsync(new { op = "HEARTBEAT", d = new string('x', 4100) });

        Assert.Equal(4002, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task A4096BytePayloadIsStillAccepted()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;
        var frame = """{"op":"HEARTBEAT","d":""}""";
        var padded = frame.Insert(frame.Length - 2, new string('x', 4096 - frame.Length));

        Assert.Equal(4096, padded.Length);
        await socket.SendRawAsync(padded);
        await socket.OpAsync("HEARTBEAT_ACK");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"d\":{}}")]
    [InlineData("{\"op\":42}")]
    public async Task WhatIsNotAGatewayPayloadCloses4002(string payload)
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        await socket.SendRawAsync(payload);

        Assert.Equal(4002, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task NotJsonBeforeIdentifyCloses4002Too()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        await socket.SendRawAsync("hello?");

        Assert.Equal(4002, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task MoreThan120EventsIn60SecondsCloses4008()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        // IDENTIFY was event 1; 119 heartbeats make 120, which is allowed.
        for (var i = 0; i < 119; i++)
        {
            await socket.SendAsync(new { op = "HEARTBEAT" });
        }
        for (var i = 0; i < 119; i++)
        {
            await socket.OpAsync("HEARTBEAT_ACK");
        }
        Assert.Equal(WebSocketState.Open, socket.Socket.State);
        await socket.SendAsync(new { op = "HEARTBEAT" });

        Assert.Equal(4008, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task UnknownOpsAfterIdentifyAreIgnored()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        await socket.SendAsync(new { op = "REQUEST_GUILD_MEMBERS", d = new { } });
        await socket.SendAsync(new { op = "HEARTBEAT" });

        await socket.OpAsync("HEARTBEAT_ACK");
        Assert.Equal(WebSocketState.Open, socket.Socket.State);
    }

    [Fact]
    public async Task LogoutClosesTheGatewayWith4001()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, ana);
        await using var owned = socket;

        await ana.PostAsync("/api/auth/logout");

        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }
}
