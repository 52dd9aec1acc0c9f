namespace Parley.Server.Tests.Infrastructure;

/// <summary>Two real Parley node processes sharing one real PostgreSQL database and one real Redis, on loopback.</summary>
public sealed class ScaleOutCluster : IAsyncDisposable
{
    private readonly string _directory;

    private ScaleOutCluster(string directory, RedisServer redis, ParleyNodeProcess a, ParleyNodeProcess b, Dictionary<string, string> settings)
    {
        _directory = directory;
        Redis = redis;
        A = a;
        B = b;
        Settings = settings;
    }

    /// <summary>Settings that lift the per-user send bucket, for tests that send more than a user may in seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> HighRateLimit = new Dictionary<string, string>
    {
        ["RateLimit:TokenLimit"] = "100000",
        ["RateLimit:TokensPerPeriod"] = "100000",
    };

    public RedisServer Redis { get; }

    public ParleyNodeProcess A { get; private set; }

    public ParleyNodeProcess B { get; private set; }

    public Dictionary<string, string> Settings { get; }

    public static async Task<ScaleOutCluster> StartAsync(PostgresServer postgres, IReadOnlyDictionary<string, string>? extra = null)
    {
        var directory = Directory.CreateTempSubdirectory("parley-cluster-").FullName;
        var redis = await RedisServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("cluster");
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres",
            ["ConnectionStrings:Chat"] = connectionString,
            ["Redis:Configuration"] = redis.Configuration + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000",
            ["Redis:NodeHeartbeatInterval"] = "00:00:00.250",
            ["Redis:NodeExpiry"] = "00:00:02",
            ["Redis:ResyncInterval"] = "00:00:00.500",
            ["Accounts:PasswordHashIterations"] = "1000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        // Start one node first so that it creates the schema alone. If a node fails to start, stop what did
        // start: nothing else would, and the processes would outlive the test run.
        ParleyNodeProcess? a = null;
        try
        {
            a = await ParleyNodeProcess.StartAsync(settings);
            var b = await ParleyNodeProcess.StartAsync(settings);
            return new ScaleOutCluster(directory, redis, a, b, settings);
        }
        catch
        {
            if (a is not null)
            {
                await a.DisposeAsync();
            }
            await redis.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Redis.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
