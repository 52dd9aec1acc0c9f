using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Realtime.Gateway;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

public sealed class GatewayResumeWindowTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:ResumeWindow"] = "00:00:00.400",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ResumeAfterTheWindowIsInvalid()
    {
        using var ana = await ApiClient.UserAsync(_server, "ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        var (before, ready) = await GatewaySockets.IdentifyAsync(_server, ana);
        var sessionId = ready.D().GetProperty("sessionId").GetString()!;
        await before.DisposeAsync();
        await ana.PostAsync("/api/messages", new { channelId = channel, content = "missed for good" });

        // Poll until the sweep has dropped the session (the window is 400 ms).
        var sessions = _server.Services.GetRequiredService<GatewaySessionRegistry>();
        var deadline = DateTime.UtcNow + TestSocket.DefaultTimeout;
        while (sessions.Find(sessionId) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Null(sessions.Find(sessionId));

        await using var after = await GatewaySockets.OpenAsync(_server, ana);
        await after.SendAsync(new { op = "RESUME", d = new { sessionId, seq = 1 } });

        await after.OpAsync("INVALID_SESSION");
        Assert.Empty(after.Dispatches());
    }
}
