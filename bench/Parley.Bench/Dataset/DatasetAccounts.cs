using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.Bench.Dataset;

/// <summary>
/// The few users the data-set scenario acts as, made over Parley's real HTTP API in a freshly migrated database
/// (the server runs its migrations against the empty file, so every generated row lands in its own schema): the
/// owner of the measured workspace and channel (whose read state the unread count asks), a member who sends,
/// and the user with many DMs. Each has an API token; the generator writes everything else around them, and fills
/// the channel (<c>ChannelId</c>) with history.
/// </summary>
internal sealed record DatasetAccounts(BenchUser Owner, BenchUser Sender, BenchUser DmUser, long WorkspaceId, long ChannelId)
{
    public const int Count = 3;
    private const string Password = "bench-password";

    /// <summary>
    /// Starts the server on an empty database (in <paramref name="directory"/>, or where <paramref name="storeArguments"/>
    /// point it), creates the accounts, stops it.
    /// </summary>
    public static async Task<DatasetAccounts> CreateAsync(BenchPaths paths, bool pin, string directory, IEnumerable<string> storeArguments)
    {
        // Nobody logs in with a password during the measurement (tokens do), so the hashes may be cheap to make.
        await using var server = await ContenderProcess.StartAsync(
            ContenderKind.Parley, paths, pin, directory, ["--Accounts:PasswordHashIterations=1000", .. storeArguments]);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        var owner = await RegisterAsync(http, "bench-owner");
        var sender = await RegisterAsync(http, "bench-sender");
        var dmUser = await RegisterAsync(http, "bench-dm");
        var workspace = (await PostAsync(http, "/api/workspaces", owner.Token, new { name = "bench" })).GetProperty("id").GetInt64();
        var channel = (await PostAsync(http, $"/api/workspaces/{workspace}/channels", owner.Token, new { name = "big", type = "text" })).GetProperty("id").GetInt64();
        await PostAsync(http, $"/api/workspaces/{workspace}/members", owner.Token, new { userId = sender.Id, role = "member" });
        return new DatasetAccounts(owner, sender, dmUser, workspace, channel);
    }

    private static async Task<BenchUser> RegisterAsync(HttpClient http, string username)
    {
        await PostAsync(http, "/api/auth/register", null, new { username, password = Password });
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { username, password = Password });
        login.EnsureSuccessStatusCode();
        var id = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/tokens") { Content = JsonContent.Create(new { name = "bench" }) };
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return new BenchUser(id, username, token);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }
}
