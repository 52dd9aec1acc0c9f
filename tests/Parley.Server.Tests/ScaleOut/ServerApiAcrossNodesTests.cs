using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>The server API on two real nodes (PostgreSQL + Redis): presence and disconnect see every node's sockets.</summary>
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
}
