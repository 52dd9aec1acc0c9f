using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>No response of any endpoint carries a password, a password hash or a session id.</summary>
public sealed class SecretsNeverLeakTests : HttpTestBase
{
    private const string AnaPassword = "ana-s3cret-passw0rd";
    private const string BenPassword = "ben-s3cret-passw0rd";

    private readonly List<(string What, string Text)> _responses = [];

    private async Task<JsonElement> RecordAsync(string what, Task<(HttpStatusCode Status, JsonElement Body)> call)
    {
        var (status, body) = await call;
        Assert.True((int)status < 400, $"{what} answered {(int)status}: {body.GetRawText()}");
        _responses.Add((what, body.ValueKind == JsonValueKind.Undefined ? "" : body.GetRawText()));
        return body;
    }

    private async Task<RawResponse> RecordRawAsync(string what, HttpRequestMessage request)
    {
        var response = await request.SendAsync();
        _responses.Add((what, response.Text + "\n" + response.Headers));
        return response;
    }

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    [Fact]
    public async Task NoResponseCarriesAPasswordOrHash()
    {
        await RecordRawAsync("register ana", RawHttp.Request(Server, HttpMethod.Post, "/api/auth/register", new { username = "ana", password = AnaPassword, role = "teacher" }));
        await RecordRawAsync("register ben", RawHttp.Request(Server, HttpMethod.Post, "/api/auth/register", new { username = "ben", password = BenPassword }));
        await RecordRawAsync("register duplicate", RawHttp.Request(Server, HttpMethod.Post, "/api/auth/register", new { username = "ANA", password = AnaPassword }));
        await RecordRawAsync("wrong login", RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username = "ana", password = AnaPassword + "x" }));
        var login = await RecordRawAsync("login ana", RawHttp.Request(Server, HttpMethod.Post, "/api/auth/login", new { username = "ana", password = AnaPassword }));
        Assert.Equal(HttpStatusCode.OK, login.Status);

        using var ana = ApiClient.Anonymous(Server);
        using var ben = ApiClient.Anonymous(Server);
        var anaUser = await RecordAsync("login", ana.PostAsync("/api/auth/login", new { username = "ana", password = AnaPassword }));
        var benUser = await RecordAsync("login", ben.PostAsync("/api/auth/login", new { username = "ben", password = BenPassword }));
        var benId = benUser.GetProperty("id").GetInt64();
        await RecordAsync("me", ana.GetAsync("/api/auth/me"));
        await RecordAsync("users/me", ana.GetAsync("/api/users/me"));
        var workspace = (await RecordAsync("create workspace", ana.PostAsync("/api/workspaces", new { name = "w" }))).GetProperty("id").GetInt64();
        await RecordAsync("add member", ana.PostAsync($"/api/workspaces/{workspace}/members", new { userId = benId }));
        await RecordAsync("workspaces", ben.GetAsync("/api/workspaces"));
        await RecordAsync("workspace", ben.GetAsync($"/api/workspaces/{workspace}"));
        await RecordAsync("members", ben.GetAsync($"/api/workspaces/{workspace}/members"));
        var channel = (await RecordAsync("create channel", ana.PostAsync($"/api/workspaces/{workspace}/channels", new { name = "c" }))).GetProperty("id").GetInt64();
        await RecordAsync("channels", ben.GetAsync($"/api/workspaces/{workspace}/channels"));
        var message = (await RecordAsync("send", ana.PostAsync("/api/messages", new { channelId = channel, content = "hello" }))).GetProperty("id").GetInt64();
        await RecordAsync("read", ben.PostAsync($"/api/messages/{message}/read"));
        await RecordAsync("pin", ana.PostAsync($"/api/channels/{channel}/pin/{message}"));
        await RecordAsync("history", ben.GetAsync($"/api/channels/{channel}/messages"));
        await RecordAsync("pinned", ben.GetAsync($"/api/channels/{channel}/pinned"));
        await RecordAsync("unread", ben.GetAsync($"/api/channels/{channel}/unread"));
        await RecordAsync("open dm", ben.PostAsync("/api/channels/dm", new { userId = anaUser.GetProperty("id").GetInt64() }));
        await RecordAsync("dms", ben.GetAsync("/api/users/me/dms"));
        await RecordAsync("dms", ana.GetAsync("/api/users/me/dms"));
        await RecordAsync("create token", ana.PostAsync("/api/auth/tokens", new { name = "t" }));
        await RecordAsync("tokens", ana.GetAsync("/api/auth/tokens"));
        await RecordAsync("logout", ben.PostAsync("/api/auth/logout"));

        var store = Server.Services.GetRequiredService<IChatStore>();
        var hashes = new[]
        {
            (await store.FindUserByUsernameAsync("ana", CancellationToken.None))!.PasswordHash,
            (await store.FindUserByUsernameAsync("ben", CancellationToken.None))!.PasswordHash,
        };
        var secrets = new List<string> { AnaPassword, BenPassword };
        foreach (var hash in hashes)
        {
            secrets.Add(hash);
            // A piece of the salt and subkey alone, as another encoding or a truncation might show them.
            secrets.Add(hash[16..40]);
        }
        foreach (var (what, text) in _responses)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The answer to {what} contains a password or hash: {text}");
            }
            var body = text.Split('\n')[0];
            if (body.StartsWith('{') || body.StartsWith('['))
            {
                var leaky = PropertyNames(JsonDocument.Parse(body).RootElement).Where(n =>
                    n.Contains("password", StringComparison.OrdinalIgnoreCase) || n.Contains("hash", StringComparison.OrdinalIgnoreCase) ||
                    n.Contains("secret", StringComparison.OrdinalIgnoreCase));
                Assert.True(!leaky.Any(), $"The answer to {what} has a secret-looking field: {body}");
            }
        }
    }

    [Fact]
    public async Task PasswordsAreStoredAsSaltedSlowHashes()
    {
        using var anonymous = ApiClient.Anonymous(Server);
        await anonymous.PostAsync("/api/auth/register", new { username = "ana", password = AnaPassword });
        await anonymous.PostAsync("/api/auth/register", new { username = "ben", password = AnaPassword });
        var store = Server.Services.GetRequiredService<IChatStore>();

        var ana = (await store.FindUserByUsernameAsync("ana", CancellationToken.None))!.PasswordHash;
        var ben = (await store.FindUserByUsernameAsync("ben", CancellationToken.None))!.PasswordHash;

        Assert.DoesNotContain(AnaPassword, ana, StringComparison.Ordinal);
        Assert.NotEqual(ana, ben);
        var bytes = Convert.FromBase64String(ana);
        Assert.Equal(0x01, bytes[0]);
    }
}
