using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Server.Fanout.Redis;
using Parley.Server.Tests.Gateway;
using Parley.Server.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>
/// Gateway RESUME on another node than the one holding the session: two real server processes on one real
/// PostgreSQL and one real Redis.
/// </summary>
public sealed class GatewayResumeAcrossNodesTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ResumeOnTheOtherNodeReplaysExactlyWhatWasMissedInOrderThenGoesLive()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await GatewayClusterScenario.CreateAsync(cluster);
        var (onA, ready) = await GatewaySockets.IdentifyAsync(cluster.A, scenario.Ben);
        await scenario.PostAsync(cluster.A, "seen");
        Assert.Equal(2, (await onA.DispatchAsync("MESSAGE_CREATE")).S());
        await onA.DisposeAsync();

        // Published on both nodes: node A numbers them all before it lets the session go, whichever node they came from.
        await scenario.PostAsync(cluster.A, "missed 1");
        await scenario.PostAsync(cluster.B, "missed 2");
        using var anaOnB = scenario.Ana.On(cluster.B);
        var missedChannel = await anaOnB.CreateChannelAsync(scenario.WorkspaceId, "missed");

        using var benOnB = scenario.Ben.On(cluster.B);
        await using var onB = await GatewaySockets.OpenAsync(cluster.B, benOnB);
        await onB.SendAsync(new { op = "RESUME", d = new { sessionId = SessionId(ready), seq = 2 } });
        var replayed = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            replayed.Add(await onB.NextAsync(TimeSpan.FromSeconds(20)));
        }
        await scenario.PostAsync(cluster.A, "live from A");
        await scenario.PostAsync(cluster.B, "live from B");
        await onB.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("content").GetString() == "live from B");
        await WaitUntilAsync(() => onB.Dispatches().Count >= 5);

        Assert.Equal([3L, 4L, 5L], replayed.Select(f => f.S()));
        Assert.Equal(["MESSAGE_CREATE", "MESSAGE_CREATE", "CHANNEL_CREATE"], replayed.Select(f => f.T()));
        Assert.Equal("missed 1", replayed[0].D().GetProperty("content").GetString());
        Assert.Equal("missed 2", replayed[1].D().GetProperty("content").GetString());
        Assert.Equal(missedChannel, replayed[2].D().GetProperty("id").GetInt64());
        Assert.Equal([3L, 4L, 5L, 6L, 7L], onB.Dispatches().Select(f => f.S()));
        // Events published on different nodes have no order between them: A's travels through Redis.
        Assert.Equal(["live from A", "live from B"], onB.Dispatches().Skip(3).Select(f => f.D().GetProperty("content").GetString()).Order());
        await onB.SendAsync(new { op = "HEARTBEAT" });
        await onB.OpAsync("HEARTBEAT_ACK");
        Assert.Contains("holder died: False", cluster.B.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResumeOnTheOtherNodeDuringTrafficFromBothNodesLosesAndRepeatsNothing()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await GatewayClusterScenario.CreateAsync(cluster);
        var (onA, ready) = await GatewaySockets.IdentifyAsync(cluster.A, scenario.Ben);
        const int total = 200;
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < total; i++)
            {
                await scenario.PostAsync(i % 2 == 0 ? cluster.A : cluster.B, $"m{i}");
                await Task.Delay(5);
            }
        });

        // Drop the socket on A in the middle of the traffic and resume on B while it goes on.
        await onA.DispatchAsync("MESSAGE_CREATE", f => f.S() >= 40, TimeSpan.FromSeconds(30));
        await onA.DisposeAsync();
        var seenOnA = onA.Dispatches().Where(f => f.T() != "READY").ToList();
        using var benOnB = scenario.Ben.On(cluster.B);
        await using var onB = await GatewaySockets.OpenAsync(cluster.B, benOnB);
        await onB.SendAsync(new { op = "RESUME", d = new { sessionId = SessionId(ready), seq = seenOnA[^1].S() } });
        await traffic.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (seenOnA.Count + onB.Dispatches().Count < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(300);

        var onBDispatches = onB.Dispatches();
        var contents = seenOnA.Concat(onBDispatches).Select(f => f.D().GetProperty("content").GetString()).ToList();
        output.WriteLine($"{seenOnA.Count} dispatches on A (up to s = {seenOnA[^1].S()}), {onBDispatches.Count} on B after the resume");
        Assert.Equal(contents.Count, contents.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"m{i}").Order(), contents.Order());
        Assert.Equal(Enumerable.Range(2, total).Select(i => (long)i), seenOnA.Concat(onBDispatches).Select(f => f.S()));
    }

    [Fact]
    public async Task ResumeOnTheOtherNodeWhileTheOldSocketIsOpenMovesTheSessionAndClosesTheOldSocket()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await GatewayClusterScenario.CreateAsync(cluster);
        var (onA, ready) = await GatewaySockets.IdentifyAsync(cluster.A, scenario.Ben);
        await using var a = onA;
        await scenario.PostAsync(cluster.A, "on A");
        Assert.Equal(2, (await onA.DispatchAsync("MESSAGE_CREATE")).S());

        using var benOnB = scenario.Ben.On(cluster.B);
        await using var onB = await GatewaySockets.OpenAsync(cluster.B, benOnB);
        await onB.SendAsync(new { op = "RESUME", d = new { sessionId = SessionId(ready), seq = 2 } });
        Assert.Equal(1000, await onA.WaitForCloseAsync(TimeSpan.FromSeconds(20)));
        await scenario.PostAsync(cluster.A, "after the move");

        var live = await onB.DispatchAsync("MESSAGE_CREATE");
        Assert.Equal(3, live.S());
        Assert.Equal("after the move", live.D().GetProperty("content").GetString());
        Assert.True(await onB.StaysQuietAsync("MESSAGE_CREATE", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task ResumeAfterTheHoldingNodeWasKilledReplaysWhatItHadMirroredThenGoesLive()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await GatewayClusterScenario.CreateAsync(cluster);
        var (onA, ready) = await GatewaySockets.IdentifyAsync(cluster.A, scenario.Ben);
        await scenario.PostAsync(cluster.A, "seen");
        Assert.Equal(2, (await onA.DispatchAsync("MESSAGE_CREATE")).S());
        await onA.DisposeAsync();
        await scenario.PostAsync(cluster.B, "missed 1");
        await scenario.PostAsync(cluster.B, "missed 2");

        // Node A mirrors without being asked: wait until it did, then kill it without a goodbye.
        var sessionId = SessionId(ready);
        await WaitForMirroredSeqAsync(cluster, sessionId, 4);
        await cluster.A.KillAsync();

        using var benOnB = scenario.Ben.On(cluster.B);
        await using var onB = await GatewaySockets.OpenAsync(cluster.B, benOnB);
        await onB.SendAsync(new { op = "RESUME", d = new { sessionId, seq = 2 } });
        var replayed = new List<JsonElement>();
        for (var i = 0; i < 2; i++)
        {
            // The claim waits for node A's liveness key to expire (2 s here).
            replayed.Add(await onB.NextAsync(TimeSpan.FromSeconds(20)));
        }
        await scenario.PostAsync(cluster.B, "live");
        var live = await onB.DispatchAsync("MESSAGE_CREATE", f => f.D().GetProperty("content").GetString() == "live");

        Assert.Equal([3L, 4L], replayed.Select(f => f.S()));
        Assert.Equal(["missed 1", "missed 2"], replayed.Select(f => f.D().GetProperty("content").GetString()));
        Assert.Equal(5, live.S());
        Assert.Equal([3L, 4L, 5L], onB.Dispatches().Select(f => f.S()));
        Assert.Contains("holder died: True", cluster.B.Log, StringComparison.Ordinal);
        output.WriteLine(cluster.B.Log);
    }

    [Fact]
    public async Task ResumeOnTheOtherNodeAfterLogoutIsInvalid()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await GatewayClusterScenario.CreateAsync(cluster);
        var (onA, ready) = await GatewaySockets.IdentifyAsync(cluster.A, scenario.Ben);
        await onA.DisposeAsync();
        var (logout, _) = await scenario.Ben.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.OK, logout);
        using var benOnB = scenario.Ben.On(cluster.B);
        var (login, _) = await benOnB.PostAsync("/api/auth/login", new { username = scenario.Ben.Username, password = "password123" });
        Assert.Equal(HttpStatusCode.OK, login);
        await scenario.PostAsync(cluster.A, "after logout");

        await using var onB = await GatewaySockets.OpenAsync(cluster.B, benOnB);
        await onB.SendAsync(new { op = "RESUME", d = new { sessionId = SessionId(ready), seq = 1 } });

        await onB.OpAsync("INVALID_SESSION", TimeSpan.FromSeconds(20));
        Assert.Empty(onB.Dispatches());
        await onB.SendAsync(new { op = "IDENTIFY", d = new { userId = scenario.Ben.UserId } });
        Assert.Equal(1, (await onB.DispatchAsync("READY")).S());
    }

    [Fact]
    public async Task ResumingSomeoneElsesSessionOnTheOtherNodeIsInvalidAndLeavesItResumable()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await GatewayClusterScenario.CreateAsync(cluster);
        using var cal = await ApiClient.UserAsync(cluster.B, "cal");
        var (onA, ready) = await GatewaySockets.IdentifyAsync(cluster.A, scenario.Ben);
        await onA.DisposeAsync();
        await scenario.PostAsync(cluster.A, "for ben only");

        await using var calOnB = await GatewaySockets.OpenAsync(cluster.B, cal);
        await calOnB.SendAsync(new { op = "RESUME", d = new { sessionId = SessionId(ready), seq = 1 } });
        Assert.Equal(["op"], (await calOnB.OpAsync("INVALID_SESSION", TimeSpan.FromSeconds(20))).EnumerateObject().Select(p => p.Name));
        Assert.Empty(calOnB.Dispatches());

        using var ben = scenario.Ben.On(cluster.B);
        await using var benOnB = await GatewaySockets.OpenAsync(cluster.B, ben);
        await benOnB.SendAsync(new { op = "RESUME", d = new { sessionId = SessionId(ready), seq = 1 } });
        var replayed = await benOnB.DispatchAsync("MESSAGE_CREATE", timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(2, replayed.S());
        Assert.Equal("for ben only", replayed.D().GetProperty("content").GetString());
    }

    private static string SessionId(JsonElement ready) => ready.D().GetProperty("sessionId").GetString()!;

    /// <summary>Polls the session's mirror in Redis until its last <c>s</c> reaches <paramref name="seq"/>.</summary>
    private static async Task WaitForMirroredSeqAsync(ScaleOutCluster cluster, string sessionId, long seq)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);
        var key = new RedisKeys(Options.Create(new RedisOptions())).GatewaySession(sessionId);
        var deadline = DateTime.UtcNow + TestSocket.DefaultTimeout;
        long last = 0;
        while ((last = (long?)await redis.GetDatabase().HashGetAsync(key, "last") ?? 0) < seq)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The mirror of {sessionId} reached s = {last}, not {seq}.");
            }
            await Task.Delay(20);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }
            await Task.Delay(20);
        }
    }
}
