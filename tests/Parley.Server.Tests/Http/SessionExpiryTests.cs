using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Server.Tests.Http;

/// <summary>A session unused for its lifetime (7 days) ends; using it slides the expiry. The clock is fake.</summary>
public sealed class SessionExpiryTests : HttpTestBase
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));

    private Task<RawResponse> MeAsync(string sessionId) =>
        RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me").WithCookie(ApiClientExtensions.SessionCookieName, sessionId).SendAsync();

    [Fact]
    public async Task SessionUnusedForSevenDaysIs401()
    {
        var ana = await UserAsync("ana");
        var session = ana.SessionId();

        _time.Advance(TimeSpan.FromDays(7));

        ApiAssert.Error(HttpStatusCode.Unauthorized, await MeAsync(session));
    }

    [Fact]
    public async Task UsingTheSessionSlidesItsExpiry()
    {
        var ana = await UserAsync("ana");
        var session = ana.SessionId();

        for (var week = 0; week < 3; week++)
        {
            _time.Advance(TimeSpan.FromDays(6));
            var me = await MeAsync(session);
            Assert.Equal(HttpStatusCode.OK, me.Status);
            // The cookie is re-issued with the extended lifetime, so the browser keeps it as long as the server does.
            Assert.Contains(me.SetCookies, c => c.StartsWith($"{ApiClientExtensions.SessionCookieName}={session};", StringComparison.Ordinal));
        }

        _time.Advance(TimeSpan.FromDays(7));
        ApiAssert.Error(HttpStatusCode.Unauthorized, await MeAsync(session));
    }

    [Fact]
    public async Task ApiTokensDoNotExpireWithSessions()
    {
        var ana = await UserAsync("ana");
        var (_, created) = await ana.PostAsync("/api/auth/tokens", new { name = "bot" });

        _time.Advance(TimeSpan.FromDays(30));

        var me = await RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me")
            .WithHeader("Authorization", $"Bearer {created.GetProperty("token").GetString()}")
            .SendAsync();
        Assert.Equal(HttpStatusCode.OK, me.Status);
    }
}
