using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

public sealed class GatewayIdentifyTimeoutTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:IdentifyTimeout"] = "00:00:00.300",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task NoIdentifyWithinTheTimeoutCloses4003()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        Assert.Equal(4003, await socket.WaitForCloseAsync());
        Assert.Empty(socket.Dispatches());
    }

    [Fact]
    public async Task AFailedResumeLeavesTheIdentifyDeadlineRunning()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        await using var socket = await GatewaySockets.OpenAsync(_server, ana);

        await socket.SendAsync(new { op = "RESUME", d = new { sessionId = "gw_nothing", seq = 1 } });
        await socket.OpAsync("INVALID_SESSION");

        Assert.Equal(4003, await socket.WaitForCloseAsync());
    }
}
