using System.Net;
using Parley.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>
/// Read-your-writes for membership across two real nodes (PostgreSQL + Redis): what one node decided holds on the
/// other as soon as the call that decided it returned. Repeated, because the failure this guards against was a race.
/// </summary>
public sealed class MembershipConsistencyTests(ITestOutputHelper output, PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const int Rounds = 20;

    [Fact]
    public async Task AMemberAddedThroughOneNodeJoinsAndReadsThroughTheOtherAtOnce()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var owner = await ApiClient.UserAsync(cluster.A, "owner");
        var workspace = await owner.CreateWorkspaceAsync();
        var channel = await owner.CreateChannelAsync(workspace);
        for (var round = 0; round < Rounds; round++)
        {
            using var user = await ApiClient.UserAsync(cluster.A, "joiner");
            await owner.AddMemberAsync(workspace, user.UserId);

            await using var socket = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", user.On(cluster.B));
            await socket.WaitForAsync("connected");
            await socket.SendAsync(new { type = "join_channel", channelId = channel });
            var answer = await socket.WaitForAsync("joined_channel", timeout: TimeSpan.FromSeconds(5))
                .ContinueWith(t => t.IsCompletedSuccessfully ? "joined" : string.Join(" | ", socket.Snapshot().Select(f => f.GetRawText())));
            Assert.Equal("joined", answer);
            var (status, _) = await user.On(cluster.B).GetAsync($"/api/channels/{channel}/messages");
            Assert.Equal(HttpStatusCode.OK, status);
        }
        output.WriteLine($"{Rounds} members added on node A joined and read on node B right after");
    }

    [Fact]
    public async Task AMemberRemovedThroughOneNodeIsRefusedAndHearsNothingMoreOnTheOtherAtOnce()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, ScaleOutCluster.HighRateLimit);
        using var owner = await ApiClient.UserAsync(cluster.A, "owner");
        var workspace = await owner.CreateWorkspaceAsync();
        var channel = await owner.CreateChannelAsync(workspace);
        await using var control = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", owner.On(cluster.B));
        await control.WaitForAsync("connected");
        await control.SendAsync(new { type = "join_channel", channelId = channel });
        await control.WaitForAsync("joined_channel");
        for (var round = 0; round < Rounds; round++)
        {
            using var user = await ApiClient.UserAsync(cluster.A, "leaver");
            await owner.AddMemberAsync(workspace, user.UserId);
            await using var socket = await TestSocket.ConnectAsync(cluster.B, "/ws/chat", user.On(cluster.B));
            await socket.WaitForAsync("connected");
            await socket.SendAsync(new { type = "join_channel", channelId = channel });
            await socket.WaitForAsync("joined_channel");

            var (removed, _) = await owner.DeleteAsync($"/api/workspaces/{workspace}/members/{user.UserId}");
            Assert.Equal(HttpStatusCode.NoContent, removed);

            // Sent right after the removal returned: the control socket on B gets it, the removed user's does not.
            var content = $"after removal {round}";
            var (sent, _) = await owner.PostAsync("/api/messages", new { channelId = channel, content });
            Assert.Equal(HttpStatusCode.Created, sent);
            await control.WaitForAsync("new_message", f => f.GetProperty("message").GetProperty("content").GetString() == content);
            await socket.WaitForAsync("left_channel");
            Assert.DoesNotContain(socket.ChatMessages(), m => m.GetProperty("content").GetString() == content);

            var (history, _) = await user.On(cluster.B).GetAsync($"/api/channels/{channel}/messages");
            Assert.Equal(HttpStatusCode.Forbidden, history);
            await socket.SendAsync(new { type = "join_channel", channelId = channel });
            Assert.Equal("forbidden", (await socket.WaitForAsync("error")).GetProperty("code").GetString());
        }
        output.WriteLine($"{Rounds} members removed on node A were refused on node B right after, and their open sockets there heard nothing more");
    }
}
