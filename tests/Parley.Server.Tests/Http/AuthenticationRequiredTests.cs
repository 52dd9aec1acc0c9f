using System.Net;

namespace Parley.Server.Tests.Http;

/// <summary>Every endpoint but register, login and health answers 401 with a message to a caller without credentials.</summary>
public sealed class AuthenticationRequiredTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "POST", "/api/auth/logout" },
        { "GET", "/api/auth/me" },
        { "GET", "/api/users/me" },
        { "POST", "/api/auth/tokens" },
        { "GET", "/api/auth/tokens" },
        { "DELETE", "/api/auth/tokens/1" },
        { "POST", "/api/workspaces" },
        { "GET", "/api/workspaces" },
        { "GET", "/api/workspaces/1" },
        { "GET", "/api/workspaces/1/members" },
        { "POST", "/api/workspaces/1/members" },
        { "DELETE", "/api/workspaces/1/members/1" },
        { "POST", "/api/workspaces/1/channels" },
        { "GET", "/api/workspaces/1/channels" },
        { "POST", "/api/channels/dm" },
        { "GET", "/api/users/me/dms" },
        { "GET", "/api/channels/1/messages" },
        { "GET", "/api/channels/1/unread" },
        { "GET", "/api/channels/1/pinned" },
        { "POST", "/api/channels/1/pin/1" },
        { "DELETE", "/api/channels/1/pin/1" },
        { "POST", "/api/messages" },
        { "PATCH", "/api/messages/1" },
        { "DELETE", "/api/messages/1" },
        { "POST", "/api/messages/1/read" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task WithoutCredentialsIs401(string method, string path)
    {
        var response = await RawHttp.Request(Server, new HttpMethod(method), path, method == "GET" ? null : new { }).SendAsync();

        ApiAssert.Error(HttpStatusCode.Unauthorized, response);
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task WithAnUnknownSessionCookieIs401(string method, string path)
    {
        var response = await RawHttp.Request(Server, new HttpMethod(method), path, method == "GET" ? null : new { })
            .WithCookie(ApiClientExtensions.SessionCookieName, "ps_forged")
            .SendAsync();

        ApiAssert.Error(HttpStatusCode.Unauthorized, response);
    }

    [Fact]
    public async Task HealthNeedsNoCredentials()
    {
        var response = await RawHttp.Request(Server, HttpMethod.Get, "/healthz").SendAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}
