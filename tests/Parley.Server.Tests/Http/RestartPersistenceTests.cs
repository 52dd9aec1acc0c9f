using System.Buffers.Binary;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// Everything the API stored is still there after the server stops and a new one starts on the same SQLite file.
/// The test owns the data directory: a server deletes only a directory it created itself.
/// </summary>
public sealed class RestartPersistenceTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("parley-restart-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DataSurvivesARestartOnTheSameFile()
    {
        long workspace, channel, dm, pinned, anaId, benId;
        long[] messages;
        string anaSession, token;
        string anaName, benName;
        await using (var first = await ParleyTestServer.StartAsync(dataDirectory: _dataDirectory).WaitAsync(StartTimeout))
        {
            using var ana = await ApiClient.UserAsync(first, "ana");
            using var ben = await ApiClient.UserAsync(first, "ben");
            (anaId, benId, anaName, benName) = (ana.UserId, ben.UserId, ana.Username, ben.Username);
            workspace = await ana.CreateWorkspaceAsync("kept");
            await ana.AddMemberAsync(workspace, ben.UserId, "admin");
            channel = await ana.CreateChannelAsync(workspace, "news", "announcement");
            messages = [await ana.SendMessageIdAsync(channel, "one"), await ana.SendMessageIdAsync(channel, "two"), await ana.SendMessageIdAsync(channel, "three")];
            await ana.DeleteAsync($"/api/messages/{messages[1]}");
            await ben.PostAsync($"/api/messages/{messages[0]}/read");
            dm = await ana.OpenDmAsync(ben.UserId);
            pinned = await ben.SendMessageIdAsync(dm, "secret");
            await ana.PostAsync($"/api/channels/{dm}/pin/{pinned}");
            var (_, created) = await ana.PostAsync("/api/auth/tokens", new { name = "bot" });
            token = created.GetProperty("token").GetString()!;
            anaSession = ana.SessionId();
            await first.StopAsync();
        }
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "parley.db")), "Disposing a server must not delete a directory it did not create.");

        await using var second = await ParleyTestServer.StartAsync(dataDirectory: _dataDirectory).WaitAsync(StartTimeout);
        using var anaAgain = ApiClient.Anonymous(second);
        using var benAgain = ApiClient.Anonymous(second);
        var (loginStatus, anaUser) = await anaAgain.PostAsync("/api/auth/login", new { username = anaName, password = "password123" });
        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Equal(anaId, anaUser.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await benAgain.PostAsync("/api/auth/login", new { username = benName, password = "password123" })).Status);

        // Sessions and tokens are server-side rows: they outlive the process.
        var oldSession = await RawHttp.Request(second, HttpMethod.Get, "/api/auth/me").WithCookie(ApiClientExtensions.SessionCookieName, anaSession).SendAsync();
        Assert.Equal(HttpStatusCode.OK, oldSession.Status);
        var bearer = await RawHttp.Request(second, HttpMethod.Get, "/api/auth/me").WithHeader("Authorization", $"Bearer {token}").SendAsync();
        Assert.Equal(anaId, bearer.Json.GetProperty("id").GetInt64());

        // Usernames stay taken.
        using var anonymous = ApiClient.Anonymous(second);
        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.PostAsync("/api/auth/register", new { username = anaName.ToUpperInvariant(), password = "password123" })).Status);

        // Workspaces, memberships with roles, channels.
        var (_, detail) = await benAgain.GetAsync($"/api/workspaces/{workspace}");
        Assert.Equal("kept", detail.GetProperty("name").GetString());
        var roles = detail.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("userId").GetInt64(), m => m.GetProperty("role").GetString());
        Assert.Equal(new Dictionary<long, string?> { [anaId] = "owner", [benId] = "admin" }, roles);
        Assert.Equal("announcement", Assert.Single(detail.GetProperty("channels").EnumerateArray()).GetProperty("type").GetString());

        // Messages, deletions and read receipts; seq goes on where it stopped.
        var history = await benAgain.HistoryAsync(channel);
        Assert.Equal([messages[0], messages[2]], history.Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal([benId], history[0].GetProperty("readBy").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(1, await benAgain.UnreadAsync(channel));
        var next = await benAgain.SendMessageAsync(channel, "four");
        Assert.Equal(4, next.GetProperty("seq").GetInt64());

        // DMs and pins, and the DM is still closed to others.
        Assert.Equal(dm, await anaAgain.OpenDmAsync(benId));
        var (_, dms) = await anaAgain.GetAsync("/api/users/me/dms");
        Assert.Equal(benId, Assert.Single(dms.EnumerateArray()).GetProperty("partner").GetProperty("id").GetInt64());
        var (_, pins) = await anaAgain.GetAsync($"/api/channels/{dm}/pinned");
        Assert.Equal(pinned, Assert.Single(pins.EnumerateArray()).GetProperty("id").GetInt64());
        using var eve = await ApiClient.UserAsync(second, "eve");
        Assert.Equal(HttpStatusCode.Forbidden, (await eve.GetAsync($"/api/channels/{dm}/messages")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/api/workspaces/{workspace}")).Status);
    }

    [Fact]
    public async Task LoginUpgradesAHashMadeWithFewerIterations()
    {
        string username;
        await using (var weak = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Accounts:PasswordHashIterations"] = "1000" }, dataDirectory: _dataDirectory)
            .WaitAsync(StartTimeout))
        {
            using var ana = await ApiClient.UserAsync(weak, "ana");
            username = ana.Username;
        }

        await using var stronger = await ParleyTestServer.StartAsync(new Dictionary<string, string?> { ["Accounts:PasswordHashIterations"] = "2000" }, dataDirectory: _dataDirectory)
            .WaitAsync(StartTimeout);
        var store = stronger.Services.GetRequiredService<IChatStore>();
        Assert.Equal(1000u, Iterations((await store.FindUserByUsernameAsync(username, CancellationToken.None))!.PasswordHash));
        using var client = ApiClient.Anonymous(stronger);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/auth/login", new { username, password = "password123" })).Status);

        Assert.Equal(2000u, Iterations((await store.FindUserByUsernameAsync(username, CancellationToken.None))!.PasswordHash));
        using var again = ApiClient.Anonymous(stronger);
        Assert.Equal(HttpStatusCode.OK, (await again.PostAsync("/api/auth/login", new { username, password = "password123" })).Status);
    }

    private static uint Iterations(string identityV3Hash) =>
        BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(identityV3Hash).AsSpan(5, 4));
}
