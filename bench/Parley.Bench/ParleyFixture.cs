using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.Bench;

/// <summary>
/// The users, tokens and channels every Parley scenario uses, created once per run over Parley's real HTTP
/// API (register, login, API token, workspace, channels, members) into a template database that each
/// scenario copies, so that no scenario pays for setup and each starts from the same state.
/// </summary>
internal sealed class ParleyFixture
{
    public const int UserCount = 1_000;
    public const int ChannelCount = 100;
    private const string Password = "bench-password";

    private ParleyFixture(string templateDirectory, string[] tokens, long[] channelIds, PostgresCluster? postgres)
    {
        TemplateDirectory = templateDirectory;
        Tokens = tokens;
        ChannelIds = channelIds;
        Postgres = postgres;
    }

    /// <summary>The PostgreSQL holding the template database (<see cref="TemplateDatabase"/>), when the fixture is on PostgreSQL.</summary>
    public PostgresCluster? Postgres { get; }

    /// <summary>The PostgreSQL database every run of Parley on PostgreSQL copies (<c>CREATE DATABASE … TEMPLATE</c>).</summary>
    public const string TemplateDatabase = "parley_template";

    private static int _runDatabases;

    public string TemplateDirectory { get; }

    /// <summary>One API token per user (used as <c>?token=</c> on the socket); every user is a member of the workspace.</summary>
    public string[] Tokens { get; }

    /// <summary>The workspace's channels; the generator's channel index i is <c>ChannelIds[i]</c>.</summary>
    public long[] ChannelIds { get; }

    /// <summary>The SQLite file's name in a contender's directory (its WAL and shared-memory files start with it).</summary>
    public const string DatabaseFile = "parley.db";

    /// <summary>Copies the template database into a fresh directory for one contender process.</summary>
    public void CopyTo(string directory) => CopyDatabase(TemplateDirectory, directory);

    /// <summary>
    /// A fresh copy of the template for one contender process: on SQLite the file into <paramref name="directory"/>
    /// (no arguments needed); on PostgreSQL a new database copied from the template, and the arguments that point
    /// Parley at it.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrepareRunAsync(string directory)
    {
        if (Postgres is null)
        {
            CopyTo(directory);
            return [];
        }
        var database = $"parley_run_{Interlocked.Increment(ref _runDatabases)}";
        await Postgres.CreateDatabaseAsync(database, TemplateDatabase);
        return PostgresArguments(Postgres, database);
    }

    private static string[] PostgresArguments(PostgresCluster postgres, string database) =>
        ["--Storage:Provider=postgres", $"--ConnectionStrings:Chat={postgres.ConnectionString(database)}"];

    /// <summary>Copies a Parley database (with its WAL, if any) from one contender directory to another.</summary>
    public static void CopyDatabase(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, DatabaseFile + "*"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <param name="paths">Where the contenders are.</param>
    /// <param name="pin">Whether the seeding server is pinned like a contender.</param>
    /// <param name="directory">The template's directory (SQLite: its file; PostgreSQL: the server's working directory).</param>
    /// <param name="postgres">Seed into <see cref="TemplateDatabase"/> on this PostgreSQL instead of SQLite.</param>
    public static async Task<ParleyFixture> CreateAsync(BenchPaths paths, bool pin, string directory, PostgresCluster? postgres = null)
    {
        string[] storage = [];
        if (postgres is not null)
        {
            await postgres.CreateDatabaseAsync(TemplateDatabase);
            storage = PostgresArguments(postgres, TemplateDatabase);
        }
        // Password hashing is slowed down on purpose in production; the benchmark authenticates with tokens,
        // so the seeding server may hash fast.
        await using var server = await ContenderProcess.StartAsync(postgres is null ? ContenderKind.Parley : ContenderKind.ParleyPostgres, paths, pin, directory,
            ["--Accounts:PasswordHashIterations=1000", .. storage]);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 16 })
        {
            BaseAddress = server.BaseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var tokens = new string[UserCount];
        var userIds = new long[UserCount];
        var cookies = new string[UserCount];
        await Parallel.ForAsync(0, UserCount, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var username = $"bench{i}";
            await PostAsync(http, "/api/auth/register", null, new { username, password = Password });
            using var login = await http.PostAsJsonAsync("/api/auth/login", new { username, password = Password }, ct);
            login.EnsureSuccessStatusCode();
            userIds[i] = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();
            cookies[i] = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
            tokens[i] = (await PostAsync(http, "/api/auth/tokens", cookies[i], new { name = "bench" })).GetProperty("token").GetString()!;
        });
        var owner = cookies[0];
        var workspace = (await PostAsync(http, "/api/workspaces", owner, new { name = "bench" })).GetProperty("id").GetInt64();
        var channelIds = new long[ChannelCount];
        for (var c = 0; c < ChannelCount; c++)
        {
            channelIds[c] = (await PostAsync(http, $"/api/workspaces/{workspace}/channels", owner, new { name = $"c{c}", type = "text" })).GetProperty("id").GetInt64();
        }
        await Parallel.ForAsync(1, UserCount, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await PostAsync(http, $"/api/workspaces/{workspace}/members", owner, new { userId = userIds[i], role = "member" }));
        return new ParleyFixture(directory, tokens, channelIds, postgres);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string? cookie, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
