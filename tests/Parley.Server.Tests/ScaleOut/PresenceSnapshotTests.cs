using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>
/// The presence snapshot at join: two users who join one channel at the same moment each end up seeing the other
/// online, on one node and across two real nodes (PostgreSQL + Redis). Repeated, because the failure was a race.
/// </summary>
public sealed class PresenceSnapshotTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const int Rounds = 20;

    [Fact]
    public async Task TwoUsersJoiningAtOnceOnOneNodeEachSeeTheOtherOnline()
    {
        await using var server = await ParleyTestServer.StartAsync();
        await JoinAtOnceRoundsAsync(server, server);
        output.WriteLine($"{Rounds} rounds of two users joining at once on one node: each saw the other online");
    }

    [Fact]
    public async Task TwoUsersJoiningAtOnceOnTwoNodesEachSeeTheOtherOnline()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        await JoinAtOnceRoundsAsync(cluster.A, cluster.B);
        output.WriteLine($"{Rounds} rounds of two users joining at once on two nodes: each saw the other online");
    }

    [Fact]
    public async Task AJoinerIsToldWhoIsAlreadyOnlineButNotAboutThemself()
    {
        await using var server = await ParleyTestServer.StartAsync();
        using var scenario = await ChannelScenario.CreateAsync(server, members: 2);
        await using var first = await scenario.JoinAsync(server, scenario.Owner);
        await using var second = await scenario.JoinAsync(server, scenario.Members[0]);
        await using var secondTab = await scenario.JoinAsync(server, scenario.Members[0]);

        await using var late = await TestSocket.ConnectAsync(server, "/ws/chat", scenario.Members[1]);
        await late.WaitForAsync("connected");
        await late.SendAsync(new { type = "join_channel", channelId = scenario.ChannelId });
        await late.WaitForAsync("joined_channel");
        var online = new HashSet<long>();
        for (var i = 0; i < 2; i++)
        {
            var presence = await late.WaitForAsync("user_presence");
            Assert.Equal("online", presence.GetProperty("status").GetString());
            Assert.Equal(scenario.ChannelId, presence.GetProperty("channelId").GetInt64());
            online.Add(presence.GetProperty("userId").GetInt64());
        }
        Assert.Equal([scenario.Owner.UserId, scenario.Members[0].UserId], online.Order());
        // One per user, however many tabs, and never the joiner themself.
        Assert.True(await late.StaysQuietAsync("user_presence", TimeSpan.FromMilliseconds(300)));
    }

    private static async Task JoinAtOnceRoundsAsync(IServerEndpoint nodeOfFirst, IServerEndpoint nodeOfSecond)
    {
        using var scenario = await ChannelScenario.CreateAsync(nodeOfFirst, members: 2);
        var (ana, ben) = (scenario.Members[0], scenario.Members[1]);
        for (var round = 0; round < Rounds; round++)
        {
            var channel = await scenario.Owner.CreateChannelAsync(scenario.WorkspaceId, $"round{round}");
            await using var first = await TestSocket.ConnectAsync(nodeOfFirst, "/ws/chat", ana.On(nodeOfFirst));
            await using var second = await TestSocket.ConnectAsync(nodeOfSecond, "/ws/chat", ben.On(nodeOfSecond));
            await Task.WhenAll(first.WaitForAsync("connected"), second.WaitForAsync("connected"));

            await Task.WhenAll(
                first.SendAsync(new { type = "join_channel", channelId = channel }),
                second.SendAsync(new { type = "join_channel", channelId = channel }));

            await Task.WhenAll(
                first.WaitForAsync("user_presence", f => IsOnline(f, ben.UserId, channel)),
                second.WaitForAsync("user_presence", f => IsOnline(f, ana.UserId, channel)));
        }
    }

    private static bool IsOnline(System.Text.Json.JsonElement frame, long userId, long channelId) =>
        frame.GetProperty("userId").GetInt64() == userId
        && frame.GetProperty("channelId").GetInt64() == channelId
        && frame.GetProperty("status").GetString() == "online";
}
