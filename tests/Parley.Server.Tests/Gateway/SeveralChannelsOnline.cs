using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Gateway;

/// <summary>
/// A workspace of three channels and a fourth user, with people online in each channel differently: the owner in all
/// three, one member in the first and the third (two tabs in the first), another member in the second; the fourth
/// user is online nowhere and identifies. <see cref="Expected"/> is what READY's presences must say for the workspace.
/// </summary>
internal sealed class SeveralChannelsOnline : IAsyncDisposable
{
    private readonly List<TestSocket> _sockets = [];

    private SeveralChannelsOnline(ChannelScenario scenario, long[] channels)
    {
        Scenario = scenario;
        Channels = channels;
    }

    public ChannelScenario Scenario { get; }

    public IReadOnlyList<long> Channels { get; }

    public ApiClient Reader => Scenario.Members[2];

    /// <summary>(channel, user) pairs, ordered.</summary>
    public List<(long Channel, long User)> Expected { get; } = [];

    /// <summary>Creates the workspace on <paramref name="setup"/> and opens everyone's sockets on <paramref name="online"/>.</summary>
    public static async Task<SeveralChannelsOnline> CreateAsync(IServerEndpoint setup, IServerEndpoint online)
    {
        var scenario = await ChannelScenario.CreateAsync(setup, members: 3);
        long[] channels = [scenario.ChannelId, await scenario.Owner.CreateChannelAsync(scenario.WorkspaceId, "second"), await scenario.Owner.CreateChannelAsync(scenario.WorkspaceId, "third")];
        var result = new SeveralChannelsOnline(scenario, channels);
        var (owner, ana, ben) = (scenario.Owner, scenario.Members[0], scenario.Members[1]);
        foreach (var (user, channel) in new[] { (owner, 0), (owner, 1), (owner, 2), (ana, 0), (ana, 0), (ana, 2), (ben, 1) })
        {
            await result.JoinAsync(online, user, channels[channel]);
        }
        return result;
    }

    private async Task JoinAsync(IServerEndpoint server, ApiClient user, long channel)
    {
        var socket = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        _sockets.Add(socket);
        await socket.WaitForAsync("connected");
        await socket.SendAsync(new { type = "join_channel", channelId = channel });
        await socket.WaitForAsync("joined_channel");
        if (!Expected.Contains((channel, user.UserId)))
        {
            Expected.Add((channel, user.UserId));
            Expected.Sort();
        }
    }

    /// <summary>READY's presences for the workspace, as ordered (channel, user) pairs, each checked to be online in the workspace.</summary>
    public List<(long Channel, long User)> PresencesIn(JsonElement ready)
    {
        var guild = ready.D().GetProperty("guilds").EnumerateArray().Single(g => g.GetProperty("id").GetInt64() == Scenario.WorkspaceId);
        var presences = guild.GetProperty("presences").EnumerateArray().ToList();
        Assert.All(presences, p =>
        {
            Assert.Equal("online", p.GetProperty("status").GetString());
            Assert.Equal(Scenario.WorkspaceId, p.GetProperty("guildId").GetInt64());
        });
        return [.. presences.Select(p => (p.GetProperty("channelId").GetInt64(), p.GetProperty("userId").GetInt64())).Order()];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
        Scenario.Dispose();
    }
}
