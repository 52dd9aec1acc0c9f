using System.Diagnostics;
using System.Net;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>
/// Two real nodes on one PostgreSQL and one Redis: a logout whose publication Redis never carried still closes the
/// session's sockets on the other node, found by the node's re-check of its sockets' credentials.
/// </summary>
public sealed class RevocationRecoveryTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    // The cluster resyncs every 0.5 s; the bound leaves room for reconnecting to Redis and a loaded machine.
    private static readonly TimeSpan ResyncBound = TimeSpan.FromSeconds(15);

    // Longer than the cluster's Redis timeouts (1 s): a publication queued while Redis is away is dropped by then,
    // instead of being sent once it is back.
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ALogoutDuringARedisOutageClosesTheSocketOnTheOtherNodeWith4001()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var user = await ApiClient.UserAsync(cluster.A);
        using var other = await ApiClient.UserAsync(cluster.A);
        await using var loggedOut = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", user.On(cluster.B));
        await using var untouched = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", other.On(cluster.B));
        await loggedOut.WaitForAsync("connected");
        await untouched.WaitForAsync("connected");

        await cluster.Redis.KillAsync();
        var (status, _) = await user.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.OK, status);
        var loggedOutAt = Stopwatch.StartNew();
        await Task.Delay(Outage);
        await cluster.Redis.StartAgainAsync();
        var backAfter = loggedOutAt.ElapsedMilliseconds;

        Assert.Equal(4001, await loggedOut.WaitForCloseAsync(ResyncBound));
        output.WriteLine($"socket on node B closed {loggedOutAt.ElapsedMilliseconds} ms after the logout; Redis was back {backAfter} ms after it");
        // The re-check closes only dead credentials.
        Assert.True(await untouched.StaysQuietAsync("error", TimeSpan.FromSeconds(1)));
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, untouched.Socket.State);
    }

    [Fact]
    public async Task ARevokedTokenDuringARedisOutageClosesItsSocketOnTheOtherNodeWith4001()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var user = await ApiClient.UserAsync(cluster.A);
        var (_, created) = await user.PostAsync("/api/auth/tokens", new { name = "bot" });
        await using var socket = await TestSocket.ConnectAsync(cluster.B, $"/ws/chat?token={created.GetProperty("token").GetString()}");
        await socket.WaitForAsync("connected");

        await cluster.Redis.KillAsync();
        var (status, _) = await user.DeleteAsync($"/api/auth/tokens/{created.GetProperty("id").GetInt64()}");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NoContent, $"revoking answered {status}");
        await Task.Delay(Outage);
        await cluster.Redis.StartAgainAsync();

        Assert.Equal(4001, await socket.WaitForCloseAsync(ResyncBound));
    }

    [Fact]
    public async Task ALogoutThatReachesTheOtherNodeClosesItsSocketAtOnce()
    {
        // A resync interval far beyond the wait: only the bus can close the socket in time.
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, new Dictionary<string, string> { ["Redis:ResyncInterval"] = "00:10:00" });
        using var user = await ApiClient.UserAsync(cluster.A);
        await using var socket = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", user.On(cluster.B));
        await socket.WaitForAsync("connected");

        var (status, _) = await user.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Equal(4001, await socket.WaitForCloseAsync(TimeSpan.FromSeconds(2)));
    }
}
