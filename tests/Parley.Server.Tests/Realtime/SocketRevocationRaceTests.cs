using System.Net;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// Sockets opened at the very moment their session is logged out: each one that the server accepted must end with
/// 4001, none may stay open once the logout has returned. Fresh sessions, and aged ones (every validation then
/// also writes the slid expiry, which once widened the window between the check and the listener).
/// </summary>
public sealed class SocketRevocationRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 30;
    private const int SocketsPerRound = 6;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("fresh")]
    [InlineData("aged")]
    public async Task EverySocketOpenedWhileItsSessionIsLoggedOutEndsWith4001(string sessions)
    {
        // A zero refresh granularity makes every validation slide the session, as for a session used again after a minute.
        var settings = sessions == "aged" ? new Dictionary<string, string?> { ["Sessions:RefreshGranularity"] = "00:00:00" } : null;
        await using var server = await ParleyTestServer.StartAsync(settings);
        var stillOpen = 0;
        var opened = 0;
        for (var round = 0; round < Rounds; round++)
        {
            using var user = await ApiClient.UserAsync(server);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var connects = Enumerable.Range(0, SocketsPerRound).Select(async _ =>
            {
                await start.Task;
                return await TestSocket.ConnectAsync(server, "/ws/chat", user);
            }).ToList();
            var logout = Task.Run(async () =>
            {
                await start.Task;
                return await user.PostAsync("/api/auth/logout");
            });
            start.SetResult();
            var (status, _) = await logout.WaitAsync(CloseTimeout);
            Assert.Equal(HttpStatusCode.OK, status);
            foreach (var connect in connects)
            {
                await using var socket = await connect.WaitAsync(CloseTimeout);
                if (socket.Snapshot().Any(f => f.GetProperty("type").GetString() == "connected"))
                {
                    opened++;
                }
                try
                {
                    Assert.Equal(4001, await socket.WaitForCloseAsync(CloseTimeout));
                }
                catch (TimeoutException)
                {
                    stillOpen++;
                }
            }
        }
        output.WriteLine($"{sessions}: {Rounds} rounds × {SocketsPerRound} sockets, {opened} saw 'connected' before 4001, {stillOpen} stayed open after the logout");
        Assert.Equal(0, stillOpen);
    }
}
