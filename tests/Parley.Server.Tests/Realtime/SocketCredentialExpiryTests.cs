using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Sessions;
using Parley.Server.Storage;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// A socket never stays open on a session the HTTP API would refuse: by default an open socket keeps its session
/// alive (slides it); with <c>Sessions:SocketsKeepSessionsAlive=false</c> it is closed with 4001 when the session
/// expires. The clock is fake; sessions last 7 days.
/// </summary>
public abstract class SocketCredentialExpiryTests : HttpTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));

    protected Task<RawResponse> MeAsync(string sessionId) =>
        RawHttp.Request(Server, HttpMethod.Get, "/api/auth/me").WithCookie(ApiClientExtensions.SessionCookieName, sessionId).SendAsync();

    protected async Task<TestSocket> OpenAsync(ApiClient user)
    {
        var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", user);
        await socket.WaitForAsync("connected");
        return socket;
    }

    /// <summary>Waits until the stored expiry of the session moves past <paramref name="than"/>.</summary>
    protected async Task<DateTime> WaitForStoredExpiryAfterAsync(string sessionId, DateTime than)
    {
        var store = Server.Services.GetRequiredService<IChatStore>();
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var expiresAt = (await store.GetSessionAsync(SecretTokens.Hash(sessionId), CancellationToken.None))?.ExpiresAt;
            if (expiresAt > than)
            {
                return expiresAt.Value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The session still expires at {expiresAt:O}.");
            }
            await Task.Delay(20);
        }
    }

    protected async Task<DateTime> StoredExpiryAsync(string sessionId) =>
        (await Server.Services.GetRequiredService<IChatStore>().GetSessionAsync(SecretTokens.Hash(sessionId), CancellationToken.None))!.ExpiresAt;

    public sealed class WhenSocketsKeepSessionsAlive : SocketCredentialExpiryTests
    {
        [Fact]
        public async Task AnOpenSocketSlidesItsSessionSoThatItNeverExpiresUnderIt()
        {
            var ana = await UserAsync("ana");
            var session = ana.SessionId();
            await using var socket = await OpenAsync(ana);
            var created = await StoredExpiryAsync(session);

            // Half the lifetime is left after 3.5 days: the node slides the session then.
            Time.Advance(TimeSpan.FromDays(4));
            var slid = await WaitForStoredExpiryAfterAsync(session, created);
            Assert.Equal(Time.GetUtcNow().UtcDateTime.AddDays(7), slid, TimeSpan.FromSeconds(1));

            Time.Advance(TimeSpan.FromDays(4));
            Assert.Equal(HttpStatusCode.OK, (await MeAsync(session)).Status);
            Assert.Equal(WebSocketState.Open, socket.Socket.State);
            Assert.True(await socket.StaysQuietAsync("error", TimeSpan.FromMilliseconds(200)));
        }

        [Fact]
        public async Task ASessionWhoseSocketClosedExpiresAsUsual()
        {
            var ana = await UserAsync("ana");
            var session = ana.SessionId();
            await using (var socket = await OpenAsync(ana))
            {
                await socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(Timeout);
            }
            await WaitUntilNoCredentialIsWatchedAsync();

            Time.Advance(TimeSpan.FromDays(7));

            ApiAssert.Error(HttpStatusCode.Unauthorized, await MeAsync(session));
        }

        private async Task WaitUntilNoCredentialIsWatchedAsync()
        {
            var monitor = Server.Services.GetRequiredService<CredentialMonitor>();
            var deadline = DateTime.UtcNow + Timeout;
            while (monitor.Count > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the closed socket's credential is still watched");
                await Task.Delay(20);
            }
        }
    }

    public sealed class WhenSocketsDoNotKeepSessionsAlive : SocketCredentialExpiryTests
    {
        protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Sessions:SocketsKeepSessionsAlive"] = "false" };

        [Fact]
        public async Task TheSocketIsClosedWith4001WhenItsSessionExpires()
        {
            var ana = await UserAsync("ana");
            var session = ana.SessionId();
            await using var socket = await OpenAsync(ana);

            Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
            Assert.True(await socket.StaysQuietAsync("error", TimeSpan.FromMilliseconds(200)));
            Assert.Equal(WebSocketState.Open, socket.Socket.State);

            Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(4001, await socket.WaitForCloseAsync(Timeout));
            ApiAssert.Error(HttpStatusCode.Unauthorized, await MeAsync(session));
        }

        [Fact]
        public async Task ASessionSlidByRequestsKeepsItsSocketOpenUntilTheNewExpiry()
        {
            var ana = await UserAsync("ana");
            var session = ana.SessionId();
            await using var socket = await OpenAsync(ana);

            Time.Advance(TimeSpan.FromDays(6));
            Assert.Equal(HttpStatusCode.OK, (await MeAsync(session)).Status);
            // Past the expiry the socket was opened with: the node finds the slid one in the store.
            Time.Advance(TimeSpan.FromDays(2));
            Assert.True(await socket.StaysQuietAsync("error", TimeSpan.FromMilliseconds(300)));
            Assert.Equal(WebSocketState.Open, socket.Socket.State);

            Time.Advance(TimeSpan.FromDays(5));
            Assert.Equal(4001, await socket.WaitForCloseAsync(Timeout));
        }
    }
}
