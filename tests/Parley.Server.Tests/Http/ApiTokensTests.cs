using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>POST/GET /api/auth/tokens and DELETE /api/auth/tokens/{id}: credentials for non-browser clients.</summary>
public sealed class ApiTokensTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private static async Task<(long Id, string Token)> CreateTokenAsync(ApiClient client, string name = "bot")
    {
        var (status, body) = await client.PostAsync("/api/auth/tokens", new { name });
        Assert.Equal(HttpStatusCode.Created, status);
        return (body.GetProperty("id").GetInt64(), body.GetProperty("token").GetString()!);
    }

    private Task<RawResponse> MeWithBearerAsync(string token) =>
        RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me").WithHeader("Authorization", $"Bearer {token}").SendAsync();

    [Fact]
    public async Task CreatingATokenIs201AndShowsTheTokenOnce()
    {
        var ana = await UserAsync("ana");

        var (status, created) = await ana.PostAsync("/api/auth/tokens", new { name = "ci bot" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("ci bot", created.GetProperty("name").GetString());
        var token = created.GetProperty("token").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        var (listStatus, list) = await ana.GetAsync("/api/auth/tokens");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(created.GetProperty("id").GetInt64(), listed.GetProperty("id").GetInt64());
        Assert.True(listed.GetProperty("token").ValueKind == JsonValueKind.Null, "A listed token must not show its secret again.");
        Assert.DoesNotContain(token!, list.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatingATokenWithoutSessionIs401()
    {
        using var anonymous = ApiClient.Anonymous(Server);

        ApiAssert.Error(HttpStatusCode.Unauthorized, await anonymous.PostAsync("/api/auth/tokens", new { name = "x" }));
    }

    [Fact]
    public async Task TokenNameOver80CharactersIs400()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/auth/tokens", new { name = new string('n', 81) }));
    }

    [Fact]
    public async Task TokenWorksAsBearerHeader()
    {
        var ana = await UserAsync("ana");
        var (_, token) = await CreateTokenAsync(ana);

        var me = await MeWithBearerAsync(token);

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(ana.UserId, me.Json.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task TokenWorksAsQueryParameter()
    {
        var ana = await UserAsync("ana");
        var (_, token) = await CreateTokenAsync(ana);

        var me = await RawHttp.Request(Server, HttpMethod.Get, $"/api/auth/me?token={Uri.EscapeDataString(token)}").SendAsync();

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(ana.UserId, me.Json.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task TokenCanSendMessages()
    {
        var ana = await UserAsync("ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        var (_, token) = await CreateTokenAsync(ana);

        var sent = await RawHttp.Request(Server, HttpMethod.Post, "/api/messages", new { channelId = channel, content = "from a bot" })
            .WithHeader("Authorization", $"Bearer {token}")
            .SendAsync();

        Assert.Equal(HttpStatusCode.Created, sent.Status);
        Assert.Equal(ana.UserId, sent.Json.GetProperty("authorId").GetInt64());
    }

    [Fact]
    public async Task TokenOutlivesTheSessionThatCreatedIt()
    {
        var ana = await UserAsync("ana");
        var (_, token) = await CreateTokenAsync(ana);

        Assert.Equal(HttpStatusCode.OK, (await ana.PostAsync("/api/auth/logout")).Status);

        Assert.Equal(HttpStatusCode.OK, (await MeWithBearerAsync(token)).Status);
    }

    [Fact]
    public async Task RevokedTokenIs401()
    {
        var ana = await UserAsync("ana");
        var (id, token) = await CreateTokenAsync(ana);
        var (_, other) = await CreateTokenAsync(ana, "other");

        var (status, _) = await ana.DeleteAsync($"/api/auth/tokens/{id}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        ApiAssert.Error(HttpStatusCode.Unauthorized, await MeWithBearerAsync(token));
        ApiAssert.Error(HttpStatusCode.Unauthorized, await RawHttp.Request(Server, HttpMethod.Get, $"/api/auth/me?token={Uri.EscapeDataString(token)}").SendAsync());
        Assert.Equal(HttpStatusCode.OK, (await MeWithBearerAsync(other)).Status);
    }

    [Fact]
    public async Task RevokingTwiceIs404()
    {
        var ana = await UserAsync("ana");
        var (id, _) = await CreateTokenAsync(ana);
        await ana.DeleteAsync($"/api/auth/tokens/{id}");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.DeleteAsync($"/api/auth/tokens/{id}"));
    }

    [Fact]
    public async Task RevokingAnotherUsersTokenIs404AndLeavesItWorking()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var (id, token) = await CreateTokenAsync(ana);

        ApiAssert.Error(HttpStatusCode.NotFound, await ben.DeleteAsync($"/api/auth/tokens/{id}"));

        Assert.Equal(HttpStatusCode.OK, (await MeWithBearerAsync(token)).Status);
    }

    [Fact]
    public async Task RevokingATokenClosesItsSocketsWith4001()
    {
        var ana = await UserAsync("ana");
        var (id, token) = await CreateTokenAsync(ana);
        await using var socket = await TestSocket.ConnectAsync(Server, $"/ws/chat?token={Uri.EscapeDataString(token)}");
        Assert.Equal(ana.UserId, (await socket.WaitForAsync("connected")).GetProperty("userId").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await ana.DeleteAsync($"/api/auth/tokens/{id}")).Status);

        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("Bearer pt_not-a-real-token")]
    [InlineData("Bearer ")]
    [InlineData("Bearer ps_looks-like-a-session")]
    [InlineData("Basic YW5hOnBhc3N3b3JkMTIz")]
    public async Task UnknownCredentialsAre401(string authorization)
    {
        var response = await RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me").WithHeader("Authorization", authorization).SendAsync();

        ApiAssert.Error(HttpStatusCode.Unauthorized, response);
    }
}
