using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>/api/workspaces: creating, listing and reading workspaces, and their channels.</summary>
public sealed class WorkspacesApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    [Fact]
    public async Task CreatingAWorkspaceIs201AndTheCreatorIsOwnerAndMember()
    {
        var ana = await UserAsync("ana");

        var (status, workspace) = await ana.PostAsync("/api/workspaces", new { name = "  Physics 101 ", description = "Tuesdays" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("Physics 101", workspace.GetProperty("name").GetString());
        Assert.Equal("Tuesdays", workspace.GetProperty("description").GetString());
        Assert.Equal(ana.UserId, workspace.GetProperty("ownerId").GetInt64());
        var id = workspace.GetProperty("id").GetInt64();
        var (detailStatus, detail) = await ana.GetAsync($"/api/workspaces/{id}");
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        var member = Assert.Single(detail.GetProperty("members").EnumerateArray());
        Assert.Equal(ana.UserId, member.GetProperty("userId").GetInt64());
        Assert.Equal("owner", member.GetProperty("role").GetString());
        Assert.Empty(detail.GetProperty("channels").EnumerateArray());
    }

    [Fact]
    public async Task CreatingAWorkspaceWithoutNameIs400()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/workspaces", new { description = "no name" }));
        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/workspaces", new { name = "   " }));
    }

    [Fact]
    public async Task WorkspaceNameOver80CharactersIs400()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/workspaces", new { name = new string('w', 81) }));
    }

    [Fact]
    public async Task ListingShowsOnlyTheCallersWorkspaces()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var anas = await ana.CreateWorkspaceAsync("ana's");
        var shared = await ben.CreateWorkspaceAsync("shared");
        await ben.CreateWorkspaceAsync("ben's");
        await ben.AddMemberAsync(shared, ana.UserId);

        var (status, list) = await ana.GetAsync("/api/workspaces");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([anas, shared], list.EnumerateArray().Select(w => w.GetProperty("id").GetInt64()).Order());
    }

    [Fact]
    public async Task ReadingAWorkspaceAsNonMemberIs404()
    {
        var ana = await UserAsync("ana");
        var eve = await UserAsync("eve");
        var workspace = await ana.CreateWorkspaceAsync();

        // Existence is not revealed to outsiders: the same answer as for an id that does not exist.
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.GetAsync($"/api/workspaces/{workspace}"));
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.GetAsync($"/api/workspaces/{workspace}/members"));
    }

    [Fact]
    public async Task ReadingAnUnknownWorkspaceIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.GetAsync("/api/workspaces/999999"));
    }

    [Fact]
    public async Task MembersSeeTheWorkspaceWithMembersAndChannels()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var channel = await ana.CreateChannelAsync(workspace, "news", "announcement");

        var (status, detail) = await ben.GetAsync($"/api/workspaces/{workspace}");

        Assert.Equal(HttpStatusCode.OK, status);
        var roles = detail.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("userId").GetInt64(), m => m.GetProperty("role").GetString());
        Assert.Equal("owner", roles[ana.UserId]);
        Assert.Equal("member", roles[ben.UserId]);
        var listed = Assert.Single(detail.GetProperty("channels").EnumerateArray());
        Assert.Equal(channel, listed.GetProperty("id").GetInt64());
        Assert.Equal("announcement", listed.GetProperty("type").GetString());
    }

    [Fact]
    public async Task OwnerCreatesAChannel201()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();

        var (status, channel) = await ana.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "homework", type = "text", subject = "maths" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(workspace, channel.GetProperty("workspaceId").GetInt64());
        Assert.Equal("homework", channel.GetProperty("name").GetString());
        Assert.Equal("text", channel.GetProperty("type").GetString());
        Assert.Equal("maths", channel.GetProperty("subject").GetString());
        Assert.Equal(0, channel.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task ChannelTypeDefaultsToText()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();

        var (status, channel) = await ana.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "general" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text", channel.GetProperty("type").GetString());
    }

    [Fact]
    public async Task AdminCreatesAChannel201()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId, "admin");

        var (status, _) = await ben.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "admins-made-this" });

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task MemberCreatingAChannelIs403()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);

        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "mine" }));
    }

    [Fact]
    public async Task TeacherRoleGrantsNoPrivilegeInOthersWorkspaces()
    {
        var ana = await UserAsync("ana");
        using var teacher = ApiClient.Anonymous(Server);
        Assert.Equal(HttpStatusCode.Created, (await teacher.PostAsync("/api/auth/register", new { username = "mr_t", password = "password123", role = "teacher" })).Status);
        var (_, t) = await teacher.PostAsync("/api/auth/login", new { username = "mr_t", password = "password123" });
        var teacherId = t.GetProperty("id").GetInt64();
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, teacherId);

        ApiAssert.Error(HttpStatusCode.Forbidden, await teacher.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "mine" }));
        ApiAssert.Error(HttpStatusCode.Forbidden, await teacher.PostAsync($"/api/workspaces/{workspace}/members", new { userId = ana.UserId }));
    }

    [Fact]
    public async Task NonMemberCreatingAChannelIs404()
    {
        var ana = await UserAsync("ana");
        var eve = await UserAsync("eve");
        var workspace = await ana.CreateWorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.NotFound, await eve.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "planted" }));
    }

    [Theory]
    [InlineData("dm")]
    [InlineData("voice")]
    [InlineData("TEXT")]
    public async Task ChannelOfAnUnknownTypeIs400(string type)
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "x", type }));
    }

    [Fact]
    public async Task ChannelWithoutNameIs400()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync($"/api/workspaces/{workspace}/channels", new { type = "text" }));
    }

    [Fact]
    public async Task ChannelInAnUnknownWorkspaceIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.PostAsync("/api/workspaces/999999/channels", new { name = "x" }));
    }

    [Fact]
    public async Task ChannelListIsForMembersOnly()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var eve = await UserAsync("eve");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var first = await ana.CreateChannelAsync(workspace, "a");
        var second = await ana.CreateChannelAsync(workspace, "b", "announcement");

        var (status, channels) = await ben.GetAsync($"/api/workspaces/{workspace}/channels");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([first, second], channels.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).Order());
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.GetAsync($"/api/workspaces/{workspace}/channels"));
    }

    [Fact]
    public async Task WorkspaceChannelsAreNotReadableByOutsiders()
    {
        var ana = await UserAsync("ana");
        var eve = await UserAsync("eve");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        var message = await ana.SendMessageIdAsync(channel, "members only");

        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{channel}/messages"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{channel}/unread"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{channel}/pinned"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.PostAsync("/api/messages", new { channelId = channel, content = "let me in" }));
        // Message ids name no channel: to an outsider a message of a channel they cannot read does not exist.
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.PostAsync($"/api/messages/{message}/read"));
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.DeleteAsync($"/api/messages/{message}"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.PostAsync($"/api/channels/{channel}/pin/{message}"));
        Assert.Single(await ana.HistoryAsync(channel));
    }
}
