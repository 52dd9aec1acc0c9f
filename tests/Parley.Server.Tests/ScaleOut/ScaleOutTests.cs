using System.Diagnostics;
using System.Net;
using Parley.Server.Tests.Gateway;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>Two real server processes on one real PostgreSQL and one real Redis: fan-out, presence, revocation and outages.</summary>
public sealed class ScaleOutTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task UsersOnBothNodesReceiveEveryMessageOnceInTheSameOrder()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        const int senders = 20;
        const int perSender = 50;
        using var scenario = await ChannelScenario.CreateAsync(cluster.A, members: senders - 1);
        var sockets = new List<TestSocket>();
        var index = 0;
        foreach (var user in scenario.Everyone)
        {
            var node = index++ % 2 == 0 ? (IServerEndpoint)cluster.A : cluster.B;
            sockets.Add(await scenario.JoinAsync(node, user.On(node)));
        }
        await Task.WhenAll(sockets.Select(async (socket, i) =>
        {
            for (var m = 0; m < perSender; m++)
            {
                await socket.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"s{i}m{m}", clientMsgId = $"s{i}m{m}" });
            }
        }));
        foreach (var socket in sockets)
        {
            await socket.WaitForMessageCountAsync(senders * perSender, TimeSpan.FromSeconds(60));
        }
        await Task.Delay(300);
        var reference = sockets[0].ChatMessages().Select(m => m.GetProperty("id").GetInt64()).ToList();
        foreach (var socket in sockets)
        {
            var messages = socket.ChatMessages();
            Assert.Equal(Enumerable.Range(1, senders * perSender).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
            Assert.Equal(reference, messages.Select(m => m.GetProperty("id").GetInt64()));
        }
        output.WriteLine($"{senders} senders x {perSender} messages over two nodes: each of {sockets.Count} subscribers received {senders * perSender}, once each, in one order");
        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task PresenceIsPerUserAcrossNodesAndSurvivesAKilledNode()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        try
        {
            await PresenceScenarioAsync(cluster);
        }
        finally
        {
            output.WriteLine("node A log:\n" + cluster.A.Log);
        }
    }

    private async Task PresenceScenarioAsync(ScaleOutCluster cluster)
    {
        using var scenario = await ChannelScenario.CreateAsync(cluster.A);
        var member = scenario.Members[0];
        await using var watcher = await scenario.JoinAsync(cluster.A, scenario.Owner);

        await using var onA = await scenario.JoinAsync(cluster.A, member);
        Assert.Equal("online", (await watcher.WaitForAsync("user_presence")).GetProperty("status").GetString());
        var onB = await scenario.JoinAsync(cluster.B, member.On(cluster.B));
        Assert.True(await watcher.StaysQuietAsync("user_presence", TimeSpan.FromMilliseconds(500)));

        await onA.SendAsync(new { type = "leave_channel", channelId = scenario.ChannelId });
        await onA.WaitForAsync("left_channel");
        Assert.True(await watcher.StaysQuietAsync("user_presence", TimeSpan.FromMilliseconds(500)));

        // Node B dies without a goodbye: its sockets' presence expires and A announces the user offline.
        var killed = Stopwatch.StartNew();
        await cluster.B.KillAsync();
        var offline = await watcher.WaitForAsync("user_presence", timeout: TimeSpan.FromSeconds(15));
        Assert.Equal("offline", offline.GetProperty("status").GetString());
        Assert.Equal(member.UserId, offline.GetProperty("userId").GetInt64());
        output.WriteLine($"offline announced {killed.ElapsedMilliseconds} ms after node B was killed (node expiry 2 s)");
        await onB.DisposeAsync();
    }

    [Fact]
    public async Task LogoutOnOneNodeClosesTheSessionsSocketsOnTheOther()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var user = await ApiClient.UserAsync(cluster.A);
        await using var socketOnB = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", user.On(cluster.B));
        await socketOnB.WaitForAsync("connected");
        var (status, _) = await user.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4001, await socketOnB.WaitForCloseAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AnEditOnOneNodeReachesTheOtherNodesSocketsAndGateways()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var scenario = await ChannelScenario.CreateAsync(cluster.A);
        var member = scenario.Members[0];
        await using var author = await scenario.JoinAsync(cluster.B, scenario.Owner.On(cluster.B));
        await using var reader = await scenario.JoinAsync(cluster.A, member);
        var (gateway, _) = await GatewaySockets.IdentifyAsync(cluster.A, member);
        await using var _ = gateway;
        await author.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "draft" });
        var sent = (await reader.WaitForAsync("new_message")).GetProperty("message");

        await author.SendAsync(new { type = "edit_message", messageId = sent.GetProperty("id").GetInt64(), content = "final" });

        var mine = (await author.WaitForAsync("message_updated")).GetProperty("message");
        var theirs = (await reader.WaitForAsync("message_updated")).GetProperty("message");
        var dispatched = (await gateway.DispatchAsync("MESSAGE_UPDATE")).GetProperty("d");
        foreach (var message in new[] { mine, theirs, dispatched })
        {
            Assert.Equal(sent.GetProperty("id").GetInt64(), message.GetProperty("id").GetInt64());
            Assert.Equal("final", message.GetProperty("content").GetString());
            Assert.Equal(mine.GetProperty("editedAt").GetString(), message.GetProperty("editedAt").GetString());
        }
    }

    [Fact]
    public async Task TheRateLimitIsSharedAcrossNodes()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        using var scenario = await ChannelScenario.CreateAsync(cluster.A);
        await using var onA = await scenario.JoinAsync(cluster.A, scenario.Owner);
        await using var onB = await scenario.JoinAsync(cluster.B, scenario.Owner.On(cluster.B));
        for (var i = 0; i < 3; i++)
        {
            await onA.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"a{i}" });
            await onB.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"b{i}" });
        }
        var refused = await Task.WhenAny(onA.WaitForAsync("error"), onB.WaitForAsync("error"));
        Assert.Equal("rate_limited", (await refused).GetProperty("code").GetString());
        // Sends are pipelined: the refusal can come back before the accepted sends before it are committed. Each
        // accepted one reaches both sockets (one user, one channel). Counted from what arrived, since the waiter for
        // an error on the socket that got none is still reading it.
        await onA.WaitForMessageCountAsync(5, TestSocket.DefaultTimeout);
        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Equal(5, history.GetArrayLength());
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("restart")]
    public async Task ARedisOutageLosesNoAcknowledgedMessageAndDuplicatesNone(string outage)
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var scenario = await ChannelScenario.CreateAsync(cluster.A);
        await using var sender = await scenario.JoinAsync(cluster.A, scenario.Owner);
        await using var receiver = await scenario.JoinAsync(cluster.B, scenario.Members[0].On(cluster.B));

        var acknowledged = new List<long>();
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
            {
                await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i}", clientMsgId = $"m{i}" });
                var echo = await sender.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("clientMsgId").GetString() == $"m{i}");
                acknowledged.Add(echo.GetProperty("message").GetProperty("seq").GetInt64());
                await Task.Delay(10);
            }
        });
        await Task.Delay(1000);
        if (outage == "pause")
        {
            cluster.Redis.Pause();
            await Task.Delay(5000);
            cluster.Redis.Resume();
        }
        else
        {
            await cluster.Redis.RestartAsync();
            await Task.Delay(3000);
        }
        var recovered = Stopwatch.StartNew();
        await Task.Delay(1000);
        stop.Cancel();
        await traffic;

        var expected = acknowledged.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (receiver.ChatMessages().Count < expected.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var converged = recovered.ElapsedMilliseconds;
        await Task.Delay(500);
        var received = receiver.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()).ToList();
        var lost = expected.Except(received).Count();
        var duplicates = received.Count - received.Distinct().Count();
        output.WriteLine($"redis {outage}: {expected.Count} acknowledged, {received.Count} received on the other node, {lost} lost, {duplicates} duplicates; converged {converged} ms after Redis came back (includes 1 s of further traffic)");
        if (lost > 0)
        {
            output.WriteLine("node B log:\n" + cluster.B.Log);
        }
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);
        Assert.Equal(expected, received);
    }
}
