using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// POST /api/workspaces/:id/members and DELETE /api/workspaces/:id/members/:userId: owners and admins manage
/// members, a member may leave, the owner stays.
/// </summary>
public sealed class WorkspaceMembersApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private async Task<(ApiClient Owner, long Workspace)> WorkspaceAsync()
    {
        var owner = await UserAsync("owner");
        return (owner, await owner.CreateWorkspaceAsync());
    }

    private static async Task<Dictionary<long, string>> RolesAsync(ApiClient reader, long workspace)
    {
        var (status, members) = await reader.GetAsync($"/api/workspaces/{workspace}/members");
        Assert.Equal(HttpStatusCode.OK, status);
        return members.EnumerateArray().ToDictionary(m => m.GetProperty("userId").GetInt64(), m => m.GetProperty("role").GetString()!);
    }

    [Fact]
    public async Task OwnerAddsAMember201()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");

        var (status, member) = await owner.PostAsync($"/api/workspaces/{workspace}/members", new { userId = ben.UserId });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(ben.UserId, member.GetProperty("userId").GetInt64());
        Assert.Equal(ben.Username, member.GetProperty("username").GetString());
        Assert.Equal("member", member.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ben.GetAsync($"/api/workspaces/{workspace}")).Status);
    }

    [Fact]
    public async Task OwnerAddsAnAdmin201()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");

        var (status, member) = await owner.PostAsync($"/api/workspaces/{workspace}/members", new { userId = ben.UserId, role = "admin" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("admin", member.GetProperty("role").GetString());
        Assert.Equal("admin", (await RolesAsync(owner, workspace))[ben.UserId]);
    }

    [Fact]
    public async Task AdminAddsAMember201()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var admin = await UserAsync("admin");
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");

        var (status, _) = await admin.PostAsync($"/api/workspaces/{workspace}/members", new { userId = ben.UserId });

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task MemberAddingSomeoneIs403()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        var carl = await UserAsync("carl");
        await owner.AddMemberAsync(workspace, ben.UserId);

        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.PostAsync($"/api/workspaces/{workspace}/members", new { userId = carl.UserId }));

        Assert.False((await RolesAsync(owner, workspace)).ContainsKey(carl.UserId));
    }

    [Fact]
    public async Task NonMemberAddingThemselfIs404()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var eve = await UserAsync("eve");

        ApiAssert.Error(HttpStatusCode.NotFound, await eve.PostAsync($"/api/workspaces/{workspace}/members", new { userId = eve.UserId }));
    }

    [Fact]
    public async Task AddingAnExistingMemberIs409()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, ben.UserId);

        ApiAssert.Error(HttpStatusCode.Conflict, await owner.PostAsync($"/api/workspaces/{workspace}/members", new { userId = ben.UserId, role = "admin" }));

        Assert.Equal("member", (await RolesAsync(owner, workspace))[ben.UserId]);
    }

    [Fact]
    public async Task AddingTheOwnerAgainIs409()
    {
        var (owner, workspace) = await WorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.Conflict, await owner.PostAsync($"/api/workspaces/{workspace}/members", new { userId = owner.UserId }));
    }

    [Fact]
    public async Task AddingAnUnknownUserIs404()
    {
        var (owner, workspace) = await WorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.PostAsync($"/api/workspaces/{workspace}/members", new { userId = 999999 }));
    }

    [Fact]
    public async Task AddingToAnUnknownWorkspaceIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.PostAsync("/api/workspaces/999999/members", new { userId = ana.UserId }));
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("teacher")]
    [InlineData("")]
    public async Task AddingWithAnUnknownRoleIs400(string role)
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");

        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync($"/api/workspaces/{workspace}/members", new { userId = ben.UserId, role }));
    }

    [Fact]
    public async Task AddingWithoutUserIdIs400()
    {
        var (owner, workspace) = await WorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await owner.PostAsync($"/api/workspaces/{workspace}/members", new { role = "member" }));
    }

    [Fact]
    public async Task OwnerRemovesAMember204AndTheyLoseAccess()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, ben.UserId);
        var channel = await owner.CreateChannelAsync(workspace);

        var (status, _) = await owner.DeleteAsync($"/api/workspaces/{workspace}/members/{ben.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        ApiAssert.Error(HttpStatusCode.NotFound, await ben.GetAsync($"/api/workspaces/{workspace}"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.GetAsync($"/api/channels/{channel}/messages"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.PostAsync("/api/messages", new { channelId = channel, content = "still here?" }));
        var (_, list) = await ben.GetAsync("/api/workspaces");
        Assert.Empty(list.EnumerateArray());
    }

    [Fact]
    public async Task AdminRemovesAMember204()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var admin = await UserAsync("admin");
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");
        await owner.AddMemberAsync(workspace, ben.UserId);

        var (status, _) = await admin.DeleteAsync($"/api/workspaces/{workspace}/members/{ben.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False((await RolesAsync(owner, workspace)).ContainsKey(ben.UserId));
    }

    [Fact]
    public async Task MemberRemovingAnotherMemberIs403()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        var carl = await UserAsync("carl");
        await owner.AddMemberAsync(workspace, ben.UserId);
        await owner.AddMemberAsync(workspace, carl.UserId);

        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.DeleteAsync($"/api/workspaces/{workspace}/members/{carl.UserId}"));

        Assert.True((await RolesAsync(owner, workspace)).ContainsKey(carl.UserId));
    }

    [Fact]
    public async Task MemberMayRemoveThemself()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, ben.UserId);

        var (status, _) = await ben.DeleteAsync($"/api/workspaces/{workspace}/members/{ben.UserId}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False((await RolesAsync(owner, workspace)).ContainsKey(ben.UserId));
        ApiAssert.Error(HttpStatusCode.NotFound, await ben.GetAsync($"/api/workspaces/{workspace}"));
    }

    [Fact]
    public async Task AdminMayRemoveThemself()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var admin = await UserAsync("admin");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/workspaces/{workspace}/members/{admin.UserId}")).Status);
    }

    [Fact]
    public async Task AdminCannotRemoveTheOwner()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var admin = await UserAsync("admin");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");

        ApiAssert.Error(HttpStatusCode.Forbidden, await admin.DeleteAsync($"/api/workspaces/{workspace}/members/{owner.UserId}"));

        Assert.Equal("owner", (await RolesAsync(owner, workspace))[owner.UserId]);
    }

    [Fact]
    public async Task OwnerCannotRemoveThemself()
    {
        var (owner, workspace) = await WorkspaceAsync();

        ApiAssert.Error(HttpStatusCode.Forbidden, await owner.DeleteAsync($"/api/workspaces/{workspace}/members/{owner.UserId}"));

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/workspaces/{workspace}")).Status);
    }

    [Fact]
    public async Task MemberRemovingTheOwnerIs403()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, ben.UserId);

        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.DeleteAsync($"/api/workspaces/{workspace}/members/{owner.UserId}"));
    }

    [Fact]
    public async Task RemovingSomeoneWhoIsNotAMemberIs404()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var eve = await UserAsync("eve");

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.DeleteAsync($"/api/workspaces/{workspace}/members/{eve.UserId}"));
        ApiAssert.Error(HttpStatusCode.NotFound, await owner.DeleteAsync($"/api/workspaces/{workspace}/members/999999"));
    }

    [Fact]
    public async Task NonMemberRemovingSomeoneIs404()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        var eve = await UserAsync("eve");
        await owner.AddMemberAsync(workspace, ben.UserId);

        ApiAssert.Error(HttpStatusCode.NotFound, await eve.DeleteAsync($"/api/workspaces/{workspace}/members/{ben.UserId}"));
    }

    [Fact]
    public async Task RemovedMemberCanBeAddedAgain()
    {
        var (owner, workspace) = await WorkspaceAsync();
        var ben = await UserAsync("ben");
        await owner.AddMemberAsync(workspace, ben.UserId);
        await ben.DeleteAsync($"/api/workspaces/{workspace}/members/{ben.UserId}");

        await owner.AddMemberAsync(workspace, ben.UserId);

        Assert.Equal(HttpStatusCode.OK, (await ben.GetAsync($"/api/workspaces/{workspace}")).Status);
    }
}
