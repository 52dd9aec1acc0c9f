using System.Net.WebSockets;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

public sealed class GatewayTimeoutTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:HeartbeatInterval"] = "00:00:00.500",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HelloAnnouncesTheConfiguredInterval()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await TestSocket.ConnectAsync(_server, "/gateway", ana);

        Assert.Equal(500, (await socket.OpAsync("HELLO")).GetProperty("d").GetProperty("heartbeat_interval").GetInt64());
    }

    [Fact]
    public async Task AnUnidentifiedSocketThatSendsNothingAlsoTimesOut4009()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        Assert.Equal(4009, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task NoHeartbeatWithinOneAndAHalfIntervalsCloses4009()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);
        await socket.SendAsync(new { op = "IDENTIFY", d = new { userId = ana.UserId } });
        await socket.DispatchAsync("READY");

        Assert.Equal(4009, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task RegularHeartbeatsKeepTheSocketOpen()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);
        await socket.SendAsync(new { op = "IDENTIFY", d = new { userId = ana.UserId } });
        await socket.DispatchAsync("READY");

        // Well past 1.5 × 500 ms, heartbeating about every 100 ms.
        for (var i = 0; i < 20; i++)
        {
            await socket.SendAsync(new { op = "HEARTBEAT" });
            await socket.OpAsync("HEARTBEAT_ACK");
            await Task.Delay(75);
        }

        Assert.Equal(WebSocketState.Open, socket.Socket.State);
    }
}
