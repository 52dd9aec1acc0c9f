using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Server.Tests.Gateway;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.ServerApi;

/// <summary>The host backend's API on a real server: keys, every route, and the live effects seen on real sockets.</summary>
public sealed class ServerApiTests : IAsyncLifetime
{
    private const string Secret = "backend-secret-0123456789";
    private readonly HostTokens _host = new();
    private ParleyTestServer _server = null!;
    private BearerClient _backend = null!;

    public async Task InitializeAsync()
    {
        var settings = _host.Settings;
        settings["Server:ApiKeys:backend"] = Secret;
        _server = await ParleyTestServer.StartAsync(settings);
        _backend = new BearerClient(_server, Secret);
    }

    public async Task DisposeAsync()
    {
        _backend.Dispose();
        await _server.DisposeAsync();
    }

    private static string Unique(string prefix) => prefix + RandomNumberGenerator.GetHexString(8, lowercase: true);

    private async Task<long> UpsertUserAsync(string? externalId = null)
    {
        var (status, user) = await _backend.PostAsync("/api/server/users", new { externalId = externalId ?? Unique("ext-"), username = Unique("u") });
        Assert.Equal(HttpStatusCode.Created, status);
        return user.GetProperty("id").GetInt64();
    }

    private async Task<long> CreateWorkspaceAsync(long ownerId)
    {
        var (status, workspace) = await _backend.PostAsync("/api/server/workspaces", new { name = "school", ownerId });
        Assert.Equal(HttpStatusCode.Created, status);
        return workspace.GetProperty("id").GetInt64();
    }

    private async Task<long> CreateChannelAsync(long workspaceId, string type = "text")
    {
        var (status, channel) = await _backend.PostAsync($"/api/server/workspaces/{workspaceId}/channels", new { name = "general", type });
        Assert.Equal(HttpStatusCode.Created, status);
        return channel.GetProperty("id").GetInt64();
    }

    public static TheoryData<string, string> Routes => new()
    {
        { "POST", "/api/server/users" },
        { "POST", "/api/server/workspaces" },
        { "PUT", "/api/server/workspaces/1/members/1" },
        { "DELETE", "/api/server/workspaces/1/members/1" },
        { "POST", "/api/server/workspaces/1/channels" },
        { "POST", "/api/server/messages" },
        { "GET", "/api/server/channels/1/presence" },
        { "POST", "/api/server/users/1/disconnect" },
        { "POST", "/api/server/users/1/logout" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryRouteRefusesNoKeyAWrongKeyAndAUsersCredentialsWith401(string method, string path)
    {
        using var user = await ApiClient.UserAsync(_server);
        var (_, token) = await user.PostAsync("/api/auth/tokens", new { name = "bot" });
        using var anonymous = new BearerClient(_server, null);
        using var wrong = new BearerClient(_server, Secret + "x");
        using var userToken = new BearerClient(_server, token.GetProperty("token").GetString());
        using var jwt = new BearerClient(_server, _host.Mint(Unique("sub-")));
        var body = method is "GET" or "DELETE" ? null : new { };

        foreach (var client in new[] { anonymous, wrong, userToken, jwt })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(new HttpMethod(method), path, body)).Status);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.SendAsync(new HttpMethod(method), path, body)).Status);
    }

    [Fact]
    public async Task AServerKeyIsNoUserCredential()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _backend.GetAsync("/api/auth/me")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _backend.GetAsync("/api/workspaces")).Status);
        await using var socket = await TestSocket.ConnectAsync(_server, $"/ws/chat?token={Secret}");
        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task UsersAreUpsertedByExternalId()
    {
        var externalId = Unique("ext-");
        var username = Unique("ana");
        var (created, user) = await _backend.PostAsync("/api/server/users", new { externalId, username, displayName = "Ana", role = "teacher" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(username, user.GetProperty("username").GetString());
        Assert.Equal(externalId, user.GetProperty("externalId").GetString());
        Assert.Equal("teacher", user.GetProperty("role").GetString());

        var renamed = Unique("ana");
        var (updated, again) = await _backend.PostAsync("/api/server/users", new { externalId, username = renamed });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(user.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(renamed, again.GetProperty("username").GetString());
        Assert.Equal("Ana", again.GetProperty("displayName").GetString());
        Assert.Equal("teacher", again.GetProperty("role").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PostAsync("/api/server/users", new { externalId = Unique("ext-"), username = "no spaces" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PostAsync("/api/server/users", new { username = Unique("u") })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _backend.PostAsync("/api/server/users", new { externalId = Unique("ext-"), username = renamed })).Status);
    }

    [Fact]
    public async Task AProfileTheBackendChangesIsWhatTheNextDirectMessageCarries()
    {
        var externalId = Unique("ext-");
        var username = Unique("tea");
        var (_, teacher) = await _backend.PostAsync("/api/server/users", new { externalId, username, role = "teacher" });
        var teacherId = teacher.GetProperty("id").GetInt64();
        using var reader = await ApiClient.UserAsync(_server, "reader");
        var (_, dm) = await reader.PostAsync("/api/channels/dm", new { userId = teacherId });
        await using var socket = await TestSocket.ConnectAsync(_server, "/messagepal", reader);
        await socket.WaitForAsync("connected");

        // The first message puts the author's profile in the node's cache; the change must not leave it there.
        Assert.Equal("teacher", await SendAsAsync(teacherId, dm.GetProperty("id").GetInt64(), "before", socket));
        Assert.Equal(HttpStatusCode.OK, (await _backend.PostAsync("/api/server/users", new { externalId, username, role = "parent" })).Status);
        Assert.Equal("parent", await SendAsAsync(teacherId, dm.GetProperty("id").GetInt64(), "after", socket));
    }

    /// <summary>Publishes as the author into the DM; returns the sender's role in the reader's <c>message_received</c>.</summary>
    private async Task<string?> SendAsAsync(long authorId, long dmId, string content, TestSocket reader)
    {
        Assert.Equal(HttpStatusCode.Created, (await _backend.PostAsync("/api/server/messages", new { channelId = dmId, authorId, content })).Status);
        var received = await reader.WaitForAsync("message_received", f => f.GetProperty("payload").GetProperty("content").GetString() == content);
        return received.GetProperty("payload").GetProperty("senderRole").GetString();
    }

    [Fact]
    public async Task AUserTheBackendCreatedSignsInWithAJwtOfTheSameSub()
    {
        var externalId = Unique("ext-");
        var id = await UpsertUserAsync(externalId);
        using var client = new BearerClient(_server, _host.Mint(externalId, "ignored-name"));
        var (status, me) = await client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, me.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task MembershipsChangeWithTheSameLiveEffectsAsTheUserApi()
    {
        var owner = await UpsertUserAsync();
        using var member = await ApiClient.UserAsync(_server);
        var workspace = await CreateWorkspaceAsync(owner);
        var (socket, _) = await GatewaySockets.IdentifyAsync(_server, member);
        await using var _socket = socket;

        var (added, membership) = await _backend.PutAsync($"/api/server/workspaces/{workspace}/members/{member.UserId}");
        Assert.Equal(HttpStatusCode.OK, added);
        Assert.Equal("member", membership.GetProperty("role").GetString());
        Assert.Equal(workspace, (await socket.DispatchAsync("GUILD_CREATE")).D().GetProperty("id").GetInt64());

        var channel = await CreateChannelAsync(workspace);
        Assert.Equal(channel, (await socket.DispatchAsync("CHANNEL_CREATE")).D().GetProperty("id").GetInt64());

        var (promoted, admin) = await _backend.PutAsync($"/api/server/workspaces/{workspace}/members/{member.UserId}", new { role = "admin" });
        Assert.Equal(HttpStatusCode.OK, promoted);
        Assert.Equal("admin", admin.GetProperty("role").GetString());
        var (_, members) = await member.GetAsync($"/api/workspaces/{workspace}/members");
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("userId").GetInt64() == member.UserId && m.GetProperty("role").GetString() == "admin");

        Assert.Equal(HttpStatusCode.NoContent, await _backend.DeleteAsync($"/api/server/workspaces/{workspace}/members/{member.UserId}"));
        Assert.Equal(workspace, (await socket.DispatchAsync("GUILD_DELETE")).D().GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/api/workspaces/{workspace}")).Status);
    }

    [Fact]
    public async Task MembershipRulesStillApply()
    {
        var owner = await UpsertUserAsync();
        var workspace = await CreateWorkspaceAsync(owner);
        Assert.Equal(HttpStatusCode.Forbidden, (await _backend.PutAsync($"/api/server/workspaces/{workspace}/members/{owner}", new { role = "member" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, await _backend.DeleteAsync($"/api/server/workspaces/{workspace}/members/{owner}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PutAsync($"/api/server/workspaces/{workspace}/members/{owner}", new { role = "owner" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PutAsync($"/api/server/workspaces/{workspace}/members/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PutAsync($"/api/server/workspaces/999999/members/{owner}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await _backend.DeleteAsync($"/api/server/workspaces/{workspace}/members/999999"));
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PostAsync("/api/server/workspaces", new { name = "w", ownerId = 999999 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PostAsync("/api/server/workspaces", new { name = "w" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PostAsync("/api/server/workspaces/999999/channels", new { name = "c" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PostAsync($"/api/server/workspaces/{workspace}/channels", new { name = "c", type = "dm" })).Status);
    }

    [Fact]
    public async Task APublishedMessageIsStoredDeliveredLiveAndIdempotentByClientMsgId()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        await using var reader = await scenario.JoinAsync(_server, scenario.Members[0]);
        var message = new { channelId = scenario.ChannelId, authorId = scenario.Owner.UserId, content = "from the backend", clientMsgId = "sys-1" };

        var (created, stored) = await _backend.PostAsync("/api/server/messages", message);
        Assert.Equal(HttpStatusCode.Created, created);
        var live = await reader.WaitForAsync("new_message");
        Assert.Equal(stored.GetProperty("id").GetInt64(), live.GetProperty("message").GetProperty("id").GetInt64());
        Assert.Equal(scenario.Owner.UserId, live.GetProperty("message").GetProperty("authorId").GetInt64());

        var (repeated, again) = await _backend.PostAsync("/api/server/messages", message);
        Assert.Equal(HttpStatusCode.OK, repeated);
        Assert.Equal(stored.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        var (_, history) = await scenario.Owner.GetAsync($"/api/channels/{scenario.ChannelId}/messages");
        Assert.Single(history.EnumerateArray(), m => m.GetProperty("content").GetString() == "from the backend");
    }

    [Fact]
    public async Task AnAuthorWhoMayNotPostThereCannotBeMadeTo()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server, channelType: "announcement");
        using var outsider = await ApiClient.UserAsync(_server);

        Assert.Equal(HttpStatusCode.Forbidden, (await _backend.PostAsync("/api/server/messages",
            new { channelId = scenario.ChannelId, authorId = scenario.Members[0].UserId, content = "not an admin" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _backend.PostAsync("/api/server/messages",
            new { channelId = scenario.ChannelId, authorId = outsider.UserId, content = "not a member" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await _backend.PostAsync("/api/server/messages",
            new { channelId = scenario.ChannelId, authorId = scenario.Owner.UserId, content = "the owner may" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PostAsync("/api/server/messages",
            new { channelId = 999999, authorId = scenario.Owner.UserId, content = "nowhere" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PostAsync("/api/server/messages",
            new { channelId = scenario.ChannelId, authorId = 999999, content = "nobody" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _backend.PostAsync("/api/server/messages",
            new { channelId = scenario.ChannelId, authorId = scenario.Owner.UserId, content = "" })).Status);
    }

    [Fact]
    public async Task PublishingIsNotBoundByTheAuthorsOwnBucket()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        // The per-user bucket holds 5; the server API's own bound is 1000 a second.
        for (var i = 0; i < 12; i++)
        {
            var (status, _) = await _backend.PostAsync("/api/server/messages", new { channelId = scenario.ChannelId, authorId = scenario.Owner.UserId, content = $"m{i}" });
            Assert.Equal(HttpStatusCode.Created, status);
        }
        var (_, body) = await scenario.Owner.PostAsync("/api/messages", new { channelId = scenario.ChannelId, content = "still has tokens" });
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
    }

    [Fact]
    public async Task PresenceListsTheUsersOnlineInTheChannel()
    {
        using var scenario = await ChannelScenario.CreateAsync(_server);
        var member = scenario.Members[0];
        var socket = await scenario.JoinAsync(_server, member);

        var (status, presence) = await _backend.GetAsync($"/api/server/channels/{scenario.ChannelId}/presence");
        Assert.Equal(HttpStatusCode.OK, status);
        var online = Assert.Single(presence.GetProperty("users").EnumerateArray());
        Assert.Equal(member.UserId, online.GetProperty("userId").GetInt64());
        Assert.Equal(member.Username, online.GetProperty("username").GetString());

        await socket.DisposeAsync();
        await WaitUntilAsync(async () => (await _backend.GetAsync($"/api/server/channels/{scenario.ChannelId}/presence")).Body.GetProperty("users").GetArrayLength() == 0);
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.GetAsync("/api/server/channels/999999/presence")).Status);
    }

    [Fact]
    public async Task DisconnectClosesEverySocketOfTheUserWith4010AndTheyMayReconnect()
    {
        using var user = await ApiClient.UserAsync(_server);
        await using var chat = await TestSocket.ConnectAsync(_server, "/ws/chat", user);
        await chat.WaitForAsync("connected");
        await using var direct = await TestSocket.ConnectAsync(_server, "/messagepal", user);
        await direct.WaitForAsync("connected");
        var (gateway, _) = await GatewaySockets.IdentifyAsync(_server, user);
        await using var _gateway = gateway;

        Assert.Equal(HttpStatusCode.NoContent, (await _backend.PostAsync($"/api/server/users/{user.UserId}/disconnect")).Status);

        foreach (var socket in new[] { chat, direct, gateway })
        {
            Assert.Equal(4010, await socket.WaitForCloseAsync());
            Assert.Equal("Disconnected by the server", socket.Socket.CloseStatusDescription);
        }
        await using var again = await TestSocket.ConnectAsync(_server, "/ws/chat", user);
        await again.WaitForAsync("connected");
        Assert.Equal(HttpStatusCode.NotFound, (await _backend.PostAsync("/api/server/users/999999/disconnect")).Status);
    }

    [Fact]
    public async Task LogoutEndsEverySessionAndTokenAndClosesTheSocketsWith4001()
    {
        using var user = await ApiClient.UserAsync(_server);
        var (_, token) = await user.PostAsync("/api/auth/tokens", new { name = "bot" });
        var secret = token.GetProperty("token").GetString()!;
        await using var bySession = await TestSocket.ConnectAsync(_server, "/ws/chat", user);
        await bySession.WaitForAsync("connected");
        await using var byToken = await TestSocket.ConnectAsync(_server, $"/ws/chat?token={secret}");
        await byToken.WaitForAsync("connected");

        Assert.Equal(HttpStatusCode.NoContent, (await _backend.PostAsync($"/api/server/users/{user.UserId}/logout")).Status);

        Assert.Equal(4001, await bySession.WaitForCloseAsync());
        Assert.Equal(4001, await byToken.WaitForCloseAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/auth/me")).Status);
        using var bot = new BearerClient(_server, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task LogoutAlsoClosesTheSocketsOpenedWithAJwt()
    {
        var externalId = Unique("ext-");
        var id = await UpsertUserAsync(externalId);
        await using var socket = await TestSocket.ConnectAsync(_server, $"/ws/chat?access_token={_host.Mint(externalId)}");
        await socket.WaitForAsync("connected");

        Assert.Equal(HttpStatusCode.NoContent, (await _backend.PostAsync($"/api/server/users/{id}/logout")).Status);

        Assert.Equal(4001, await socket.WaitForCloseAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TestSocket.DefaultTimeout);
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
