using System.Collections.Concurrent;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Realtime;

public sealed class ChatSocketOrderingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimit:TokenLimit"] = "100000",
        ["RateLimit:TokensPerPeriod"] = "100000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConcurrentSendersAreSeenByEverySubscriberInOneGapFreeOrder()
    {
        const int users = 20;
        const int perUser = 20;
        using var scenario = await ChannelScenario.CreateAsync(_server, members: users - 1);
        var sockets = new List<TestSocket>();
        foreach (var user in scenario.Everyone)
        {
            sockets.Add(await scenario.JoinAsync(_server, user));
        }
        var acknowledged = new ConcurrentBag<long>();
        await Task.WhenAll(sockets.Select(async (socket, index) =>
        {
            for (var i = 0; i < perUser; i++)
            {
                await socket.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"u{index}-m{i}", clientMsgId = $"u{index}-m{i}" });
            }
        }));
        foreach (var socket in sockets)
        {
            await socket.WaitForMessageCountAsync(users * perUser, TimeSpan.FromSeconds(30));
        }

        var reference = sockets[0].ChatMessages().Select(m => m.GetProperty("id").GetInt64()).ToList();
        foreach (var socket in sockets)
        {
            var messages = socket.ChatMessages();
            Assert.Equal(users * perUser, messages.Count);
            Assert.Equal(Enumerable.Range(1, users * perUser).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
            Assert.Equal(reference, messages.Select(m => m.GetProperty("id").GetInt64()));
            Assert.DoesNotContain(socket.Snapshot(), f => f.GetProperty("type").GetString() == "error");
        }
        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages?limit=1");
        Assert.Equal(users * perUser, history[0].GetProperty("seq").GetInt64());
        output.WriteLine($"{users} senders x {perUser} messages: {users} subscribers each saw {users * perUser} in the same gap-free order");
        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASenderThatDoesNotWaitForEchoesGetsItsMessagesStoredAndEchoedInTheOrderItSentThem()
    {
        // More than Realtime:MaxSendsInFlight (32) at once, retries among them: the socket reads on while earlier
        // sends commit, and everything still follows the order of the frames.
        const int count = 300;
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        await using var reader = await scenario.JoinAsync(_server, scenario.Members[0]);
        for (var i = 0; i < count; i++)
        {
            await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i}", clientMsgId = $"m{i}" });
            if (i % 50 == 49)
            {
                // A retry of an earlier message while later ones are in flight: answered with the original, stored once.
                await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i - 10}", clientMsgId = $"m{i - 10}" });
            }
        }
        await reader.WaitForMessageCountAsync(count, TimeSpan.FromSeconds(30));
        await sender.WaitForMessageCountAsync(count + count / 50, TimeSpan.FromSeconds(30));

        var expected = Enumerable.Range(0, count).Select(i => $"m{i}").ToList();
        Assert.Equal(expected, reader.ChatMessages().Select(m => m.GetProperty("content").GetString()));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), reader.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));
        var echoes = sender.ChatMessages().Select(m => m.GetProperty("content").GetString()!).ToList();
        Assert.Equal(expected, echoes.Distinct());
        Assert.DoesNotContain(sender.Snapshot(), f => f.GetProperty("type").GetString() == "error");
        var (_, newest) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages?limit=1");
        Assert.Equal(count, newest[0].GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task ReplayWithSinceRacingLiveTrafficHasNoGapAndNoDuplicate()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var sender = await scenario.JoinAsync(_server, scenario.Owner);
        const int total = 300;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < total; i++)
            {
                await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i}" });
                if (i % 25 == 0)
                {
                    await Task.Delay(5);
                }
            }
        });
        // Join part-way through the traffic, asking for everything after seq 0.
        await sender.WaitForMessageCountAsync(40, TimeSpan.FromSeconds(10));
        await using var late = await scenario.JoinAsync(_server, scenario.Members[0], since: 0);
        await sending;
        await late.WaitForMessageCountAsync(total, TimeSpan.FromSeconds(20));
        await Task.Delay(200);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), late.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task RejoinWithSinceReplaysOnlyWhatWasMissed()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        for (var i = 0; i < 5; i++)
        {
            await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = $"m{i}" });
        }
        await using var socket = await scenario.JoinAsync(_server, scenario.Members[0], since: 3);
        await socket.WaitForMessageCountAsync(2, TimeSpan.FromSeconds(5));
        await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "live" });
        await socket.WaitForMessageCountAsync(3, TimeSpan.FromSeconds(5));
        Assert.Equal([4L, 5L, 6L], socket.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));
    }
}
