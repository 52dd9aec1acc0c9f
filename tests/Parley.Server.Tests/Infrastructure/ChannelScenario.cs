namespace Parley.Server.Tests.Infrastructure;

/// <summary>A workspace with one channel, an owner and some members, all logged in.</summary>
public sealed class ChannelScenario : IDisposable
{
    private ChannelScenario(ApiClient owner, IReadOnlyList<ApiClient> members, long workspaceId, long channelId)
    {
        Owner = owner;
        Members = members;
        WorkspaceId = workspaceId;
        ChannelId = channelId;
    }

    public ApiClient Owner { get; }

    /// <summary>Members other than the owner.</summary>
    public IReadOnlyList<ApiClient> Members { get; }

    public IEnumerable<ApiClient> Everyone => [Owner, .. Members];

    public long WorkspaceId { get; }

    public long ChannelId { get; }

    public static async Task<ChannelScenario> CreateAsync(IServerEndpoint server, int members = 1, string channelType = "text")
    {
        var owner = await ApiClient.UserAsync(server, "owner");
        var workspace = await owner.CreateWorkspaceAsync();
        var channel = await owner.CreateChannelAsync(workspace, type: channelType);
        var others = new List<ApiClient>();
        for (var i = 0; i < members; i++)
        {
            var member = await ApiClient.UserAsync(server, "member");
            await owner.AddMemberAsync(workspace, member.UserId);
            others.Add(member);
        }
        return new ChannelScenario(owner, others, workspace, channel);
    }

    /// <summary>Opens a /ws/chat socket for the user and joins the channel.</summary>
    public async Task<TestSocket> JoinAsync(IServerEndpoint server, ApiClient user, long? since = null)
    {
        var socket = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await socket.WaitForAsync("connected");
        await socket.SendAsync(since is null
            ? new { type = "join_channel", channelId = ChannelId }
            : new { type = "join_channel", channelId = ChannelId, since = since.Value });
        await socket.WaitForAsync("joined_channel");
        return socket;
    }

    public void Dispose()
    {
        foreach (var client in Everyone)
        {
            client.Dispose();
        }
    }
}
