using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// The Origin check in front of every state-changing request: a foreign Origin is refused with 403 before the
/// endpoint runs; the server's own origin, an allow-listed one, or no Origin at all (non-browser clients) pass.
/// </summary>
public sealed class CrossSiteRequestTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private const string Evil = "https://evil.example";

    private string OwnOrigin => $"{Server.BaseAddress.Scheme}://{Server.BaseAddress.Authority}";

    private HttpRequestMessage AsAna(ApiClient ana, HttpMethod method, string path, object? body = null) =>
        RawHttp.Request(Server, method, path, body).WithCookie(ApiClientExtensions.SessionCookieName, ana.SessionId());

    [Fact]
    public async Task CrossSitePostIs403AndChangesNothing()
    {
        var ana = await UserAsync("ana");

        var response = await AsAna(ana, HttpMethod.Post, "/api/workspaces", new { name = "planted" }).WithHeader("Origin", Evil).SendAsync();

        ApiAssert.Error(HttpStatusCode.Forbidden, response);
        var (_, workspaces) = await ana.GetAsync("/api/workspaces");
        Assert.Empty(workspaces.EnumerateArray());
    }

    [Fact]
    public async Task SameOriginPostWorks()
    {
        var ana = await UserAsync("ana");

        var response = await AsAna(ana, HttpMethod.Post, "/api/workspaces", new { name = "mine" }).WithHeader("Origin", OwnOrigin).SendAsync();

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Fact]
    public async Task PostWithoutOriginWorks()
    {
        var ana = await UserAsync("ana");

        var response = await AsAna(ana, HttpMethod.Post, "/api/workspaces", new { name = "from a script" }).SendAsync();

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://127.0.0.1")]
    [InlineData("https://127.0.0.1")]
    [InlineData("http://localhost")]
    public async Task LookalikeOriginsAre403(string origin)
    {
        var ana = await UserAsync("ana");

        var response = await AsAna(ana, HttpMethod.Post, "/api/workspaces", new { name = "planted" }).WithHeader("Origin", origin).SendAsync();

        ApiAssert.Error(HttpStatusCode.Forbidden, response);
    }

    [Fact]
    public async Task CrossSiteLoginIs403()
    {
        var ana = await UserAsync("ana");

        var response = await RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username = ana.Username, password = "password123" })
            .WithHeader("Origin", Evil)
            .SendAsync();

        ApiAssert.Error(HttpStatusCode.Forbidden, response);
        Assert.Empty(response.SetCookies);
    }

    [Fact]
    public async Task CrossSiteLogoutIs403AndTheSessionLives()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.Forbidden, await AsAna(ana, HttpMethod.Post, "/api/auth/logout", new { }).WithHeader("Origin", Evil).SendAsync());

        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task CrossSiteDeleteIs403AndTheMessageStays()
    {
        var ana = await UserAsync("ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());
        var message = await ana.SendMessageIdAsync(channel);

        ApiAssert.Error(HttpStatusCode.Forbidden, await AsAna(ana, HttpMethod.Delete, $"/api/messages/{message}").WithHeader("Origin", Evil).SendAsync());

        Assert.Single(await ana.HistoryAsync(channel));
    }

    [Fact]
    public async Task CrossSiteSendIs403AndStoresNothing()
    {
        var ana = await UserAsync("ana");
        var channel = await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync());

        var response = await AsAna(ana, HttpMethod.Post, "/api/messages", new { channelId = channel, content = "forged" }).WithHeader("Origin", Evil).SendAsync();

        ApiAssert.Error(HttpStatusCode.Forbidden, response);
        Assert.Empty(await ana.HistoryAsync(channel));
    }

    [Fact]
    public async Task CrossSiteGetIsNotRefused()
    {
        // Reads change nothing; the browser's same-origin policy keeps their answers from the foreign page.
        var ana = await UserAsync("ana");

        var response = await AsAna(ana, HttpMethod.Get, "/api/auth/me").WithHeader("Origin", Evil).SendAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task CrossSiteSocketUpgradeIs403()
    {
        var ana = await UserAsync("ana");

        var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => TestSocket.ConnectAsync(Server, "/ws/chat", ana, origin: Evil));

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowListedOriginWorks()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Security:AllowedOrigins:0"] = "https://app.example" })
            .WaitAsync(StartTimeout);
        using var ana = await ApiClient.UserAsync(server, "ana");

        var allowed = await RawHttp.Request(server, HttpMethod.Post, "/api/workspaces", new { name = "ok" })
            .WithCookie(ApiClientExtensions.SessionCookieName, ana.SessionId())
            .WithHeader("Origin", "https://app.example")
            .SendAsync();
        var other = await RawHttp.Request(server, HttpMethod.Post, "/api/workspaces", new { name = "no" })
            .WithCookie(ApiClientExtensions.SessionCookieName, ana.SessionId())
            .WithHeader("Origin", Evil)
            .SendAsync();

        Assert.Equal(HttpStatusCode.Created, allowed.Status);
        ApiAssert.Error(HttpStatusCode.Forbidden, other);
    }
}
