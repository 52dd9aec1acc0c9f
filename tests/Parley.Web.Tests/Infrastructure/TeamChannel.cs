using Parley.Server.Tests.Infrastructure;

namespace Parley.Web.Tests.Infrastructure;

/// <summary>A workspace with one text channel, set up over HTTP (the browser tests are about chatting in it).</summary>
public sealed record TeamChannel(long WorkspaceId, long ChannelId, string ChannelName)
{
    public static async Task<TeamChannel> CreateAsync(ApiClient owner, string channelName, params long[] memberIds)
    {
        var workspace = await owner.CreateWorkspaceAsync("Team");
        var channel = await owner.CreateChannelAsync(workspace, channelName);
        foreach (var memberId in memberIds)
        {
            await owner.AddMemberAsync(workspace, memberId);
        }
        return new TeamChannel(workspace, channel, channelName);
    }
}
