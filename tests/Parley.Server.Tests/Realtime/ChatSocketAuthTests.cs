using System.Net;
using System.Net.WebSockets;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

public sealed class ChatSocketAuthTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SocketWithoutCookieGetsOneErrorThen4001()
    {
        await using var socket = await TestSocket.ConnectAsync(_server, "/ws/chat");
        var error = await socket.WaitForAsync("error");
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.Equal(4001, await socket.WaitForCloseAsync());
        Assert.Single(socket.Snapshot());
    }

    [Fact]
    public async Task SocketWithForgedCookieGets4001()
    {
        using var client = ApiClient.Anonymous(_server);
        client.Cookies.Add(_server.BaseAddress, new Cookie("parley_session", "ps_forged"));
        await using var socket = await TestSocket.ConnectAsync(_server, "/ws/chat", client);
        await socket.WaitForAsync("error");
        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task ApiTokenAuthenticatesTheSocket()
    {
        using var user = await ApiClient.UserAsync(_server);
        var (_, token) = await user.PostAsync("/api/auth/tokens", new { name = "bot" });
        await using var socket = await TestSocket.ConnectAsync(_server, $"/ws/chat?token={token.GetProperty("token").GetString()}");
        var connected = await socket.WaitForAsync("connected");
        Assert.Equal(user.UserId, connected.GetProperty("userId").GetInt64());
    }

    [Fact]
    public async Task LogoutClosesTheSessionsSocketsWith4001WithinASecond()
    {
        using var user = await ApiClient.UserAsync(_server);
        await using var first = await TestSocket.ConnectAsync(_server, "/ws/chat", user);
        await using var second = await TestSocket.ConnectAsync(_server, "/ws/chat", user);
        await first.WaitForAsync("connected");
        await second.WaitForAsync("connected");

        var (status, _) = await user.PostAsync("/api/auth/logout");
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Equal(4001, await first.WaitForCloseAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(4001, await second.WaitForCloseAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task CrossSiteUpgradeIsRefusedWith403()
    {
        using var user = await ApiClient.UserAsync(_server);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", user.CookieHeader);
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUri("/ws/chat"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task SameOriginUpgradeIsAccepted()
    {
        using var user = await ApiClient.UserAsync(_server);
        await using var socket = await TestSocket.ConnectAsync(_server, "/ws/chat", user, origin: $"http://{_server.BaseAddress.Authority}");
        await socket.WaitForAsync("connected");
    }

    [Fact]
    public async Task OneSocketOverTheQuotaIsClosedWith4008()
    {
        await using var server = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Realtime:MaxSocketsPerUser"] = "2" });
        using var user = await ApiClient.UserAsync(server);
        await using var first = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await using var second = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        await first.WaitForAsync("connected");
        await second.WaitForAsync("connected");
        await using var third = await TestSocket.ConnectAsync(server, "/ws/chat", user);
        Assert.Equal(4008, await third.WaitForCloseAsync());
    }
}
