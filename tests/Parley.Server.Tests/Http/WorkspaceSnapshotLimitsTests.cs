using System.Net;
using Parley.Server.Tests.Gateway;

namespace Parley.Server.Tests.Http;

/// <summary>
/// The two snapshots of a user's workspaces stay bounded however big they grow: <c>GET /api/workspaces/:id</c> lists
/// the first page of members and of channels with the cursors that continue them, and the gateway's READY the first
/// workspaces and, in each, the first channels, saying when there are more. Limits set low here to show it.
/// </summary>
public sealed class WorkspaceSnapshotLimitsTests : HttpTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Chat:MaxListLimit"] = "3",
        ["Chat:DefaultListLimit"] = "3",
        ["Gateway:ReadyGuildLimit"] = "2",
        ["Gateway:ReadyChannelLimit"] = "3",
    };

    [Fact]
    public async Task AWorkspaceComesWithTheFirstPageOfMembersAndChannelsAndTheirNextCursors()
    {
        var owner = await UserAsync("owner");
        var workspace = await owner.CreateWorkspaceAsync();
        var members = new List<long> { owner.UserId };
        for (var i = 0; i < 3; i++)
        {
            var member = await UserAsync("member");
            await owner.AddMemberAsync(workspace, member.UserId);
            members.Add(member.UserId);
        }
        var channels = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            channels.Add(await owner.CreateChannelAsync(workspace));
        }

        var (status, detail) = await owner.GetAsync($"/api/workspaces/{workspace}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(members[..3], detail.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetInt64()));
        Assert.Equal(channels[..3], detail.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        // The cursors continue the paged lists exactly where the snapshot stopped.
        var (_, moreMembers) = await owner.GetAsync($"/api/workspaces/{workspace}/members?cursor={detail.GetProperty("membersNextCursor").GetString()}");
        Assert.Equal([members[3]], moreMembers.EnumerateArray().Select(m => m.GetProperty("userId").GetInt64()));
        var (_, moreChannels) = await owner.GetAsync($"/api/workspaces/{workspace}/channels?cursor={detail.GetProperty("channelsNextCursor").GetString()}");
        Assert.Equal([channels[3]], moreChannels.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));

        var small = await owner.CreateWorkspaceAsync();
        var (_, complete) = await owner.GetAsync($"/api/workspaces/{small}");
        Assert.Single(complete.GetProperty("members").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, complete.GetProperty("membersNextCursor").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, complete.GetProperty("channelsNextCursor").ValueKind);
    }

    [Fact]
    public async Task ReadyListsTheFirstWorkspacesAndChannelsAndSaysWhenThereAreMore()
    {
        var owner = await UserAsync("owner");
        var workspaces = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            workspaces.Add(await owner.CreateWorkspaceAsync());
        }
        var channels = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            channels.Add(await owner.CreateChannelAsync(workspaces[0]));
        }
        await owner.CreateChannelAsync(workspaces[1]);

        var (socket, ready) = await GatewaySockets.IdentifyAsync(Server, owner);
        await using (socket)
        {
            var d = ready.D();
            Assert.True(d.GetProperty("moreGuilds").GetBoolean());
            var guilds = d.GetProperty("guilds").EnumerateArray().ToList();
            Assert.Equal(workspaces[..2], guilds.Select(g => g.GetProperty("id").GetInt64()));
            Assert.Equal(channels[..3], guilds[0].GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
            Assert.True(guilds[0].GetProperty("moreChannels").GetBoolean());
            Assert.Single(guilds[1].GetProperty("channels").EnumerateArray());
            Assert.False(guilds[1].GetProperty("moreChannels").GetBoolean());
        }

        var alone = await UserAsync("alone");
        var (other, otherReady) = await GatewaySockets.IdentifyAsync(Server, alone);
        await using (other)
        {
            Assert.False(otherReady.D().GetProperty("moreGuilds").GetBoolean());
        }
    }
}
