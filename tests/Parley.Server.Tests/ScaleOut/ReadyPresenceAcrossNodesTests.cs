using Microsoft.Extensions.Options;
using Parley.Server.Fanout.Redis;
using Parley.Server.Tests.Gateway;
using Parley.Server.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>
/// READY's presences with Redis: people online through one node are listed by READY on the other, channel by channel,
/// and the channels' presence is read in one Redis round trip (Redis's MONITOR shows it), not one per channel.
/// Two real server processes on one real PostgreSQL and one real Redis.
/// </summary>
public sealed class ReadyPresenceAcrossNodesTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ReadyOnOneNodeListsWhoIsOnlineOnTheOtherInEachChannelReadInOneRedisRoundTrip()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres);
        await using var online = await SeveralChannelsOnline.CreateAsync(cluster.A, cluster.A);
        await using var monitor = await RedisMonitor.StartAsync(cluster.Redis.Port);

        var (gateway, ready) = await GatewaySockets.IdentifyAsync(cluster.B, online.Reader);
        await using var _ = gateway;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration))
        {
            await redis.GetDatabase().ExecuteAsync("ECHO", "ready-was-sent");
        }
        var commands = await monitor.ClientCommandsUntilAsync("ready-was-sent");

        Assert.Equal(online.Expected, online.PresencesIn(ready));
        var keys = new RedisKeys(Options.Create(new RedisOptions()));
        var onlineKeys = online.Channels.Select(c => keys.ChannelOnline(c).ToString()).ToArray();
        output.WriteLine($"{commands.Count} commands while identifying: {string.Join(", ", commands.Select(c => c[0]).CountBy(c => c).Select(c => $"{c.Key} x{c.Value}"))}");
        // No command per channel: one script run names every channel's online hash.
        Assert.DoesNotContain(commands, c => c[0].Equals("HGETALL", StringComparison.OrdinalIgnoreCase));
        Assert.Single(commands, c => c[0].StartsWith("EVAL", StringComparison.OrdinalIgnoreCase) && onlineKeys.All(c.Contains));
    }
}
