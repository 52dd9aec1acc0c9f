using System.Net.WebSockets;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The default deployment (one node on a SQLite file) killed with SIGKILL in the middle of a burst of pipelined sends:
/// every message the sender saw echoed is in the database after a restart, in the seq it was given, with no gap; a
/// resend of every clientMsgId then stores each message exactly once.
/// </summary>
public sealed class SqliteKillTests(ITestOutputHelper output) : IDisposable
{
    // Large enough that the kill, which follows the first echoes within milliseconds, lands in the middle of it.
    private const int Burst = 5000;
    private const int KillAfterEchoes = 150;

    // Bulk waits: bounded by throughput (thousands of commits), not by a race.
    private static readonly TimeSpan BulkTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("parley-kill-").FullName;

    private Dictionary<string, string> Settings() => new(ScaleOutCluster.HighRateLimit)
    {
        ["ConnectionStrings:Chat"] = $"Data Source={Path.Combine(_directory, "parley.db")}",
        ["Chat:MaxReplay"] = (2 * Burst).ToString(),
    };

    [Fact]
    public async Task EveryEchoedMessageSurvivesSigkillGapFreeAndResendsStoreNothingTwice()
    {
        var node = await ParleyNodeProcess.StartAsync(Settings());
        Dictionary<string, long> acknowledged;
        using var scenario = await ChannelScenario.CreateAsync(node);
        try
        {
            await using var sender = await scenario.JoinAsync(node, scenario.Owner);
            // Pipelined: the frames go out without waiting for echoes, so sends are queued, committing and echoed
            // at the moment of the kill.
            var sending = Task.Run(async () =>
            {
                for (var i = 0; i < Burst; i++)
                {
                    await sender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i}", clientMsgId = $"m{i}" });
                }
            });
            await sender.WaitForMessageCountAsync(KillAfterEchoes, TestSocket.DefaultTimeout);
            await node.KillAsync();
            await sender.WaitForCloseAsync();
            try
            {
                await sending;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The frames not yet written when the node died.
            }
            acknowledged = sender.ChatMessages().ToDictionary(m => m.GetProperty("clientMsgId").GetString()!, m => m.GetProperty("seq").GetInt64());
        }
        finally
        {
            await node.DisposeAsync();
        }
        Assert.InRange(acknowledged.Count, KillAfterEchoes, Burst - 1);

        await using var restarted = await ParleyNodeProcess.StartAsync(Settings(), node.Port);
        var owner = scenario.Owner.On(restarted);
        var stored = await ReplayAllAsync(scenario, restarted, owner);
        output.WriteLine($"{acknowledged.Count} echoed before SIGKILL, {stored.Count} stored after the restart");

        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => m.Seq));
        var lost = acknowledged.Select(a => (Seq: a.Value, ClientMsgId: a.Key)).Except(stored).ToList();
        Assert.True(lost.Count == 0, $"echoed but not stored after the restart: {string.Join(", ", lost.Take(10))}");

        // Resending all of them, as a client does for what it saw no echo of: each is stored once, in all.
        await using (var resender = await scenario.JoinAsync(restarted, owner))
        {
            for (var i = 0; i < Burst; i++)
            {
                await resender.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = $"m{i}", clientMsgId = $"m{i}" });
            }
            await resender.WaitForMessageCountAsync(Burst, BulkTimeout);
        }
        var afterResend = await ReplayAllAsync(scenario, restarted, owner);
        Assert.Equal(Enumerable.Range(1, Burst).Select(i => (long)i), afterResend.Select(m => m.Seq));
        Assert.Equal(Burst, afterResend.Select(m => m.ClientMsgId).Distinct().Count());
        Assert.Equal(stored, afterResend.Take(stored.Count));
    }

    /// <summary>Every stored message of the channel, by a join with <c>since: 0</c> (the burst is under <c>Chat:MaxReplay</c>).</summary>
    private static async Task<List<(long Seq, string ClientMsgId)>> ReplayAllAsync(ChannelScenario scenario, IServerEndpoint server, ApiClient user)
    {
        await using var reader = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await reader.WaitForAsync("connected");
        await reader.SendAsync(new { type = "join_channel", channelId = scenario.ChannelId, since = 0 });
        var lastSeq = (await reader.WaitForAsync("joined_channel")).GetProperty("lastSeq").GetInt64();
        await reader.WaitForMessageCountAsync((int)lastSeq, BulkTimeout);
        return [.. reader.ChatMessages().Select(m => (m.GetProperty("seq").GetInt64(), m.GetProperty("clientMsgId").GetString()!))];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
