using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>Ana owns a workspace with one channel on the cluster; Ben is a member. Both registered on node A.</summary>
internal sealed class GatewayClusterScenario : IDisposable
{
    private GatewayClusterScenario(ApiClient ana, ApiClient ben, long workspaceId, long channelId)
    {
        Ana = ana;
        Ben = ben;
        WorkspaceId = workspaceId;
        ChannelId = channelId;
    }

    public ApiClient Ana { get; }

    public ApiClient Ben { get; }

    public long WorkspaceId { get; }

    public long ChannelId { get; }

    public static async Task<GatewayClusterScenario> CreateAsync(ScaleOutCluster cluster)
    {
        var ana = await ApiClient.UserAsync(cluster.A, "ana");
        var ben = await ApiClient.UserAsync(cluster.A, "ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace);
        return new GatewayClusterScenario(ana, ben, workspace, channel);
    }

    /// <summary>Ana posts <paramref name="content"/> over HTTP on <paramref name="node"/>.</summary>
    public async Task PostAsync(IServerEndpoint node, string content)
    {
        using var ana = Ana.On(node);
        var (status, _) = await ana.PostAsync("/api/messages", new { channelId = ChannelId, content });
        Assert.Equal(HttpStatusCode.Created, status);
    }

    public void Dispose()
    {
        Ana.Dispose();
        Ben.Dispose();
    }
}
