using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A real HTTP client with its own cookie jar, as one browser or bot would be.</summary>
public sealed class ApiClient : IDisposable
{
    private static int _counter;

    private ApiClient(Uri baseAddress, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, UseCookies = true }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; }

    public long UserId { get; private set; }

    public string Username { get; private set; } = "";

    public static ApiClient Anonymous(IServerEndpoint server) => new(server.BaseAddress);

    /// <summary>Registers a fresh user (unique name) and logs in.</summary>
    public static async Task<ApiClient> UserAsync(IServerEndpoint server, string prefix = "user", string password = "password123")
    {
        var client = new ApiClient(server.BaseAddress);
        var username = $"{prefix}{Interlocked.Increment(ref _counter)}";
        var registered = await client.Http.PostAsJsonAsync("/api/auth/register", new { username, password });
        registered.EnsureSuccessStatusCode();
        var login = await client.Http.PostAsJsonAsync("/api/auth/login", new { username, password });
        login.EnsureSuccessStatusCode();
        var user = await login.Content.ReadFromJsonAsync<JsonElement>();
        client.UserId = user.GetProperty("id").GetInt64();
        client.Username = username;
        return client;
    }

    /// <summary>The same user (same cookies) talking to another node.</summary>
    public ApiClient On(IServerEndpoint other) => new(other.BaseAddress, Cookies) { UserId = UserId, Username = Username };

    /// <summary>The Cookie header value to send on a WebSocket upgrade.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(Http.BaseAddress!);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json);
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body ?? new { });

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Creates a workspace owned by this user; returns its id.</summary>
    public async Task<long> CreateWorkspaceAsync(string name = "workspace")
    {
        var (status, body) = await PostAsync("/api/workspaces", new { name });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("id").GetInt64();
    }

    public async Task<long> CreateChannelAsync(long workspaceId, string name = "general", string type = "text")
    {
        var (status, body) = await PostAsync($"/api/workspaces/{workspaceId}/channels", new { name, type });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("id").GetInt64();
    }

    public async Task AddMemberAsync(long workspaceId, long userId, string role = "member")
    {
        var (status, _) = await PostAsync($"/api/workspaces/{workspaceId}/members", new { userId, role });
        Assert.Equal(HttpStatusCode.Created, status);
    }

    public void Dispose() => Http.Dispose();
}
