using System.Net;
using System.Text.Json;

namespace Parley.Server.Tests.Http;

/// <summary>
/// <c>GET /api/users?query=</c>: people the caller shares a workspace with, by part of their username or display name,
/// ignoring case, never the caller; paged like the other lists; an empty query is bad input.
/// </summary>
public sealed class UserSearchApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    [Fact]
    public async Task FindsMembersOfSharedWorkspacesByPartOfTheirNameOnly()
    {
        var ana = await UserAsync("ana");
        var colleague = await UserAsync("searchme");
        var second = await UserAsync("searchme");
        var stranger = await UserAsync("searchme");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, colleague.UserId);
        await ana.AddMemberAsync(workspace, second.UserId);
        await stranger.CreateWorkspaceAsync();

        var (status, body) = await ana.GetAsync("/api/users?query=EARCHm");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([colleague.UserId, second.UserId], body.EnumerateArray().Select(u => u.GetProperty("id").GetInt64()));
        var first = body[0];
        Assert.Equal(colleague.Username, first.GetProperty("username").GetString());
        Assert.False(first.TryGetProperty("passwordHash", out _));
        // Ana's own name matches "a" too, but she is never among the results.
        var (_, withA) = await ana.GetAsync("/api/users?query=a");
        Assert.DoesNotContain(ana.UserId, withA.EnumerateArray().Select(u => u.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task PagesWithTheListCursor()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var members = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var member = await UserAsync("pager");
            await ana.AddMemberAsync(workspace, member.UserId);
            members.Add(member.UserId);
        }

        using var firstPage = await ana.Http.GetAsync("/api/users?query=pager&limit=2");
        var next = firstPage.Headers.GetValues("X-Next-Cursor").Single();
        Assert.Contains("rel=\"next\"", firstPage.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        var (_, rest) = await ana.GetAsync($"/api/users?query=pager&limit=2&cursor={Uri.EscapeDataString(next)}");
        var firstIds = JsonDocument.Parse(await firstPage.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(u => u.GetProperty("id").GetInt64());

        Assert.Equal(members, firstIds.Concat(rest.EnumerateArray().Select(u => u.GetProperty("id").GetInt64())));
    }

    [Theory]
    [InlineData("/api/users")]
    [InlineData("/api/users?query=")]
    [InlineData("/api/users?query=%20%20")]
    [InlineData("/api/users?query=ana&cursor=abc")]
    [InlineData("/api/users?query=ana&limit=ten")]
    public async Task AnEmptyQueryOrABadPageIs400(string path)
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.GetAsync(path));
    }

    [Fact]
    public async Task NeedsALogin()
    {
        using var anonymous = Infrastructure.ApiClient.Anonymous(Server);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/users?query=ana")).Status);
    }
}
