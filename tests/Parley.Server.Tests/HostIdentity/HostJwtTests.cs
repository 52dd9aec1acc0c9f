using System.Net;
using System.Security.Cryptography;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.HostIdentity;

/// <summary>Sign-in with the host's JWTs (HS256) on a real server, over HTTP and on all three sockets.</summary>
public sealed class HostJwtTests : IAsyncLifetime
{
    private readonly HostTokens _host = new();
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(_host.Settings);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Sub() => "host-user-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task AValidTokenAuthenticatesHttpAndProvisionsTheUserOnFirstSight()
    {
        var sub = Sub();
        var preferred = "ana" + RandomNumberGenerator.GetHexString(6, lowercase: true);
        using var client = new BearerClient(_server, _host.Mint(sub, preferred, "Ana Lima"));

        var (status, me) = await client.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(preferred, me.GetProperty("username").GetString());
        Assert.Equal("Ana Lima", me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task TheSameSubIsTheSameUserOnSecondSight()
    {
        var sub = Sub();
        using var first = new BearerClient(_server, _host.Mint(sub, "first" + RandomNumberGenerator.GetHexString(6, lowercase: true)));
        using var second = new BearerClient(_server, _host.Mint(sub, "other" + RandomNumberGenerator.GetHexString(6, lowercase: true)));

        var (_, one) = await first.GetAsync("/api/auth/me");
        var (status, two) = await second.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(one.GetProperty("id").GetInt64(), two.GetProperty("id").GetInt64());
        Assert.Equal(one.GetProperty("username").GetString(), two.GetProperty("username").GetString());
    }

    [Fact]
    public async Task TheUsernameFallsBackToNameThenSubAndIsMadeValidAndUnique()
    {
        var name = "Zé Lima " + RandomNumberGenerator.GetHexString(6, lowercase: true);
        using var a = new BearerClient(_server, _host.Mint(Sub(), name: name));
        using var b = new BearerClient(_server, _host.Mint(Sub(), name: name));
        var sub = "sub" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        using var c = new BearerClient(_server, _host.Mint(sub));

        var (_, first) = await a.GetAsync("/api/auth/me");
        var (_, second) = await b.GetAsync("/api/auth/me");
        var (_, third) = await c.GetAsync("/api/auth/me");

        var expected = name.Replace(' ', '_').Replace('é', '_');
        Assert.Equal(expected, first.GetProperty("username").GetString());
        Assert.Equal(name, first.GetProperty("displayName").GetString());
        Assert.Equal(expected + "-2", second.GetProperty("username").GetString());
        Assert.Equal(sub, third.GetProperty("username").GetString());
    }

    [Fact]
    public async Task AnExpiredTokenIsRefusedWith401()
    {
        using var client = new BearerClient(_server, _host.Mint(Sub(), lifetime: TimeSpan.FromMinutes(-1)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefusedWith401()
    {
        using var client = new BearerClient(_server, _host.Mint(Sub(), key: RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task ATokenForAnotherAudienceOrIssuerIsRefusedWith401()
    {
        using var audience = new BearerClient(_server, _host.Mint(Sub(), audience: "someone-else"));
        using var issuer = new BearerClient(_server, _host.Mint(Sub(), issuer: "https://evil.example"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await audience.GetAsync("/api/auth/me")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await issuer.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task SessionsAndApiTokensKeepWorkingBesideJwts()
    {
        using var user = await ApiClient.UserAsync(_server);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/auth/me")).Status);
        var (_, token) = await user.PostAsync("/api/auth/tokens", new { name = "bot" });
        using var bot = new BearerClient(_server, token.GetProperty("token").GetString());
        var (status, me) = await bot.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(user.UserId, me.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AllThreeSocketsAcceptAnAccessToken()
    {
        var token = _host.Mint(Sub(), "sock" + RandomNumberGenerator.GetHexString(6, lowercase: true));
        using var client = new BearerClient(_server, token);
        var userId = (await client.GetAsync("/api/auth/me")).Body.GetProperty("id").GetInt64();

        await using var chat = await TestSocket.ConnectAsync(_server, $"/ws/chat?access_token={token}");
        Assert.Equal(userId, (await chat.WaitForAsync("connected")).GetProperty("userId").GetInt64());

        await using var direct = await TestSocket.ConnectAsync(_server, $"/messagepal?access_token={token}");
        await direct.WaitForAsync("connected");

        await using var gateway = await TestSocket.ConnectAsync(_server, $"/gateway?access_token={token}");
        await gateway.WaitForAsync("HELLO", typeProperty: "op");
        await gateway.SendAsync(new { op = "IDENTIFY", d = new { } });
        var ready = await gateway.WaitForAsync("READY", typeProperty: "t");
        Assert.Equal(userId, ready.GetProperty("d").GetProperty("user").GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("/ws/chat")]
    [InlineData("/messagepal")]
    [InlineData("/gateway")]
    public async Task ABadTokenOnASocketClosesItWith4001(string path)
    {
        var token = _host.Mint(Sub(), key: RandomNumberGenerator.GetBytes(32));
        await using var socket = await TestSocket.ConnectAsync(_server, $"{path}?access_token={token}");
        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task ASocketClosesWith4011WhenItsTokenExpires()
    {
        var token = _host.Mint(Sub(), lifetime: TimeSpan.FromSeconds(2));
        await using var socket = await TestSocket.ConnectAsync(_server, $"/ws/chat?access_token={token}");
        await socket.WaitForAsync("connected");

        // The bound is for a hang, not a latency figure: the close is due 2 s after the token was minted.
        Assert.Equal(4011, await socket.WaitForCloseAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("Token expired", socket.Socket.CloseStatusDescription);
    }
}
