using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>The session cookie, logout, and the end of a session when the same browser logs in again.</summary>
public sealed class SessionsTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private const string Password = "password123";

    private async Task<RawResponse> RawLoginAsync(string username, string? previousSessionId = null)
    {
        var request = RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username, password = Password });
        if (previousSessionId is not null)
        {
            request.WithCookie(ApiClientExtensions.SessionCookieName, previousSessionId);
        }
        return await request.SendAsync();
    }

    private static string SessionIdFrom(RawResponse login)
    {
        var cookie = Assert.Single(login.SetCookies, c => c.StartsWith(ApiClientExtensions.SessionCookieName + "=", StringComparison.Ordinal));
        return cookie.Split(';')[0][(ApiClientExtensions.SessionCookieName.Length + 1)..];
    }

    private Task<RawResponse> MeWithSessionAsync(string sessionId) =>
        RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me").WithCookie(ApiClientExtensions.SessionCookieName, sessionId).SendAsync();

    [Fact]
    public async Task SessionCookieIsHttpOnlySameSiteLaxPathRoot()
    {
        var ana = await UserAsync("ana");

        var login = await RawLoginAsync(ana.Username);

        Assert.Equal(HttpStatusCode.OK, login.Status);
        var cookie = Assert.Single(login.SetCookies, c => c.StartsWith(ApiClientExtensions.SessionCookieName + "=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        // Plain HTTP here: Secure would make the browser drop the cookie; it is set over HTTPS only.
        Assert.DoesNotContain("secure", attributes);
        Assert.True(SessionIdFrom(login).Length >= 32, "The session id should carry at least 256 bits.");
    }

    [Fact]
    public async Task EveryLoginIssuesANewSessionId()
    {
        var ana = await UserAsync("ana");

        var first = SessionIdFrom(await RawLoginAsync(ana.Username));
        var second = SessionIdFrom(await RawLoginAsync(ana.Username));

        Assert.NotEqual(first, second);
        Assert.NotEqual(first, ana.SessionId());
    }

    [Fact]
    public async Task OldCookieIsDeadAfterLogout()
    {
        var ana = await UserAsync("ana");
        var sessionId = ana.SessionId();
        Assert.Equal(HttpStatusCode.OK, (await MeWithSessionAsync(sessionId)).Status);

        var (status, _) = await ana.PostAsync("/api/auth/logout");

        Assert.Equal(HttpStatusCode.OK, status);
        ApiAssert.Error(HttpStatusCode.Unauthorized, await MeWithSessionAsync(sessionId));
        ApiAssert.Error(HttpStatusCode.Unauthorized, await ana.GetAsync("/api/auth/me"));
    }

    [Fact]
    public async Task LogoutClearsTheCookie()
    {
        var ana = await UserAsync("ana");

        var logout = await RawHttp.Request(Server, HttpMethod.Post, "/api/auth/logout", new { })
            .WithCookie(ApiClientExtensions.SessionCookieName, ana.SessionId())
            .SendAsync();

        Assert.Equal(HttpStatusCode.OK, logout.Status);
        var cookie = Assert.Single(logout.SetCookies, c => c.StartsWith(ApiClientExtensions.SessionCookieName + "=", StringComparison.Ordinal));
        Assert.StartsWith(ApiClientExtensions.SessionCookieName + "=;", cookie, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LogoutWithoutSessionIs401()
    {
        using var anonymous = ApiClient.Anonymous(Server);

        ApiAssert.Error(HttpStatusCode.Unauthorized, await anonymous.PostAsync("/api/auth/logout"));
    }

    [Fact]
    public async Task OldCookieIsDeadAfterANewLoginFromTheSameBrowser()
    {
        var ana = await UserAsync("ana");
        var old = ana.SessionId();

        var relogin = await RawLoginAsync(ana.Username, previousSessionId: old);

        Assert.Equal(HttpStatusCode.OK, relogin.Status);
        var fresh = SessionIdFrom(relogin);
        Assert.NotEqual(old, fresh);
        ApiAssert.Error(HttpStatusCode.Unauthorized, await MeWithSessionAsync(old));
        Assert.Equal(HttpStatusCode.OK, (await MeWithSessionAsync(fresh)).Status);
    }

    [Fact]
    public async Task OldCookieIsDeadAfterTheCookieJarLogsInAgain()
    {
        var ana = await UserAsync("ana");
        var old = ana.SessionId();

        var (status, _) = await ana.PostAsync("/api/auth/login", new { username = ana.Username, password = Password });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(old, ana.SessionId());
        ApiAssert.Error(HttpStatusCode.Unauthorized, await MeWithSessionAsync(old));
        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task LoginInAnotherBrowserLeavesTheFirstSessionAlive()
    {
        var ana = await UserAsync("ana");

        var other = await RawLoginAsync(ana.Username);

        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/api/auth/me")).Status);
        Assert.Equal(HttpStatusCode.OK, (await MeWithSessionAsync(SessionIdFrom(other))).Status);
    }

    [Fact]
    public async Task LogoutClosesTheSessionsSocketsWith4001()
    {
        var ana = await UserAsync("ana");
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", ana);
        await socket.WaitForAsync("connected");

        Assert.Equal(HttpStatusCode.OK, (await ana.PostAsync("/api/auth/logout")).Status);

        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }
}
