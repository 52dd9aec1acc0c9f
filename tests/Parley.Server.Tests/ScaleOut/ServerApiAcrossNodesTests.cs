using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>
/// The server API on two real nodes (PostgreSQL + Redis): presence and disconnect see every node's sockets, and a
/// profile change reaches the other node's profile cache.
/// </summary>
public sealed class ServerApiAcrossNodesTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Secret = "cluster-backend-secret";

    [Fact]
    public async Task PresenceAndDisconnectReachSocketsOnTheOtherNode()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, new Dictionary<string, string> { ["Server:ApiKeys:backend"] = Secret });
        using var scenario = await ChannelScenario.CreateAsync(cluster.A);
        var member = scenario.Members[0];
        await using var onB = await scenario.JoinAsync(cluster.B, member.On(cluster.B));
        using var backendOnA = new BearerClient(cluster.A, Secret);

        var (status, presence) = await backendOnA.GetAsync($"/api/server/channels/{scenario.ChannelId}/presence");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(member.UserId, Assert.Single(presence.GetProperty("users").EnumerateArray()).GetProperty("userId").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await backendOnA.PostAsync($"/api/server/users/{member.UserId}/disconnect")).Status);
        Assert.Equal(4010, await onB.WaitForCloseAsync());
    }

    [Fact]
    public async Task AProfileChangedThroughOneNodeIsWhatTheOtherNodeSendsNext()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(postgres, new Dictionary<string, string> { ["Server:ApiKeys:backend"] = Secret });
        using var backendOnA = new BearerClient(cluster.A, Secret);
        var (externalId, username) = ("ext-profile", "teacher1");
        var (_, teacher) = await backendOnA.PostAsync("/api/server/users", new { externalId, username, role = "teacher" });
        var teacherId = teacher.GetProperty("id").GetInt64();
        using var reader = await ApiClient.UserAsync(cluster.A, "reader");
        var (_, dm) = await reader.PostAsync("/api/channels/dm", new { userId = teacherId });
        var dmId = dm.GetProperty("id").GetInt64();
        using var readerOnB = reader.On(cluster.B);
        await using var onB = await TestSocket.ConnectAsync(cluster.B, "/messagepal", readerOnB);
        await onB.WaitForAsync("connected");

        async Task<string?> SendAsync(string content)
        {
            Assert.Equal(HttpStatusCode.Created, (await backendOnA.PostAsync("/api/server/messages", new { channelId = dmId, authorId = teacherId, content })).Status);
            var received = await onB.WaitForAsync("message_received", f => f.GetProperty("payload").GetProperty("content").GetString() == content);
            return received.GetProperty("payload").GetProperty("senderRole").GetString();
        }

        // Node B caches the author's profile for the first message; the change made on node A reaches it before the next.
        Assert.Equal("teacher", await SendAsync("before"));
        Assert.Equal(HttpStatusCode.OK, (await backendOnA.PostAsync("/api/server/users", new { externalId, username, role = "parent" })).Status);
        Assert.Equal("parent", await SendAsync("after"));
    }
}
