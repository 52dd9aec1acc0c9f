using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// <c>join_channel</c> with <c>since</c> replays at most <c>Chat:MaxReplay</c> messages: further behind, a
/// <c>replay_truncated</c> marker and then the newest ones. Set to 5 here so that a handful of messages shows it.
/// </summary>
public sealed class ChatSocketBoundedReplayTests : IAsyncLifetime
{
    private const int MaxReplay = 5;
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:MaxReplay"] = MaxReplay.ToString(),
        ["RateLimit:TokenLimit"] = "1000",
        ["RateLimit:TokensPerPeriod"] = "1000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AJoinFurtherBehindThanTheBoundGetsTheMarkerThenExactlyTheNewestMessagesInOrder()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await PostAsync(scenario, 12);

        await using var socket = await scenario.JoinAsync(_server, scenario.Members[0], since: 0);
        await socket.WaitForMessageCountAsync(MaxReplay, TestSocket.DefaultTimeout);
        await PostLiveAndWaitAsync(scenario, socket, expected: MaxReplay + 1);

        var frames = AfterJoined(socket);
        Assert.Equal("replay_truncated", frames[0].GetProperty("type").GetString());
        Assert.Equal(scenario.ChannelId, frames[0].GetProperty("channelId").GetInt64());
        Assert.Equal(1, frames[0].GetProperty("skippedFrom").GetInt64());
        Assert.Equal(7, frames[0].GetProperty("skippedTo").GetInt64());
        Assert.Single(frames, f => f.GetProperty("type").GetString() == "replay_truncated");
        Assert.Equal([8L, 9L, 10L, 11L, 12L, 13L], socket.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(["m7", "m8", "m9", "m10", "m11", "live"], socket.ChatMessages().Select(m => m.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task AJoinWithinTheBoundGetsEveryMissedMessageAndNoMarker()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await PostAsync(scenario, 12);

        await using var socket = await scenario.JoinAsync(_server, scenario.Members[0], since: 12 - MaxReplay);
        await socket.WaitForMessageCountAsync(MaxReplay, TestSocket.DefaultTimeout);
        // The marker would come before the replay, and the replay before any live message.
        await PostLiveAndWaitAsync(scenario, socket, expected: MaxReplay + 1);

        Assert.DoesNotContain(socket.Snapshot(), f => f.GetProperty("type").GetString() == "replay_truncated");
        Assert.Equal([8L, 9L, 10L, 11L, 12L, 13L], socket.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task DeletedMessagesDoNotCountTowardsTheBound()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        var ids = await PostAsync(scenario, 8);
        // Seqs 4 and 6 deleted: after seq 1 only 5 messages are left (2, 3, 5, 7, 8), within the bound.
        await scenario.Owner.DeleteAsync($"/api/messages/{ids[3]}");
        await scenario.Owner.DeleteAsync($"/api/messages/{ids[5]}");

        await using var socket = await scenario.JoinAsync(_server, scenario.Members[0], since: 1);
        await socket.WaitForMessageCountAsync(MaxReplay, TestSocket.DefaultTimeout);
        await PostLiveAndWaitAsync(scenario, socket, expected: MaxReplay + 1);

        Assert.DoesNotContain(socket.Snapshot(), f => f.GetProperty("type").GetString() == "replay_truncated");
        Assert.Equal([2L, 3L, 5L, 7L, 8L, 9L], socket.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));

        // With the live seq 9, the 5 newest after seq 0 are 3, 5, 7, 8, 9: seqs 1 and 2 are skipped.
        await using var further = await scenario.JoinAsync(_server, scenario.Members[0], since: 0);
        await further.WaitForMessageCountAsync(MaxReplay, TestSocket.DefaultTimeout);
        var marker = AfterJoined(further)[0];
        Assert.Equal("replay_truncated", marker.GetProperty("type").GetString());
        Assert.Equal((1, 2), (marker.GetProperty("skippedFrom").GetInt64(), marker.GetProperty("skippedTo").GetInt64()));
        Assert.Equal([3L, 5L, 7L, 8L, 9L], further.ChatMessages().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task AMaxReplayBelowOneIsRefusedAtStart()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ParleyTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:MaxReplay"] = "0",
        }));
        Assert.Contains("Chat:MaxReplay", refused.Message);
    }

    private static async Task<List<long>> PostAsync(ChannelScenario scenario, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var (_, message) = await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = $"m{i}" });
            ids.Add(message.GetProperty("id").GetInt64());
        }
        return ids;
    }

    private static async Task PostLiveAndWaitAsync(ChannelScenario scenario, TestSocket socket, int expected)
    {
        await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "live" });
        await socket.WaitForMessageCountAsync(expected, TestSocket.DefaultTimeout);
    }

    /// <summary>The frames after <c>joined_channel</c> and its presence snapshot.</summary>
    private static List<JsonElement> AfterJoined(TestSocket socket) =>
        [.. socket.Snapshot()
            .SkipWhile(f => f.GetProperty("type").GetString() != "joined_channel").Skip(1)
            .Where(f => f.GetProperty("type").GetString() != "user_presence")];
}
