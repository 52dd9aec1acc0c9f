using Parley.Bench.Clients;
using Parley.Bench.Results;

namespace Parley.Bench.Scenarios;

/// <summary>What every scenario needs: options, where the contenders are, Parley's users (when a scenario uses them), and the results.</summary>
internal sealed class BenchContext(BenchOptions options, BenchPaths paths, ParleyFixture? fixture, ResultBook results, ParleyFixture? postgresFixture = null)
{
    private readonly KestrelDialect _kestrel = new();
    private readonly SignalRDialect _signalR = new();
    private readonly ParleyDialect? _parley = fixture is null ? null : new ParleyDialect(fixture);
    // Its own users, tokens and channel ids: seeded over HTTP into PostgreSQL, not copied from the SQLite template.
    private readonly ParleyDialect? _parleyPostgres = postgresFixture is null ? null : new ParleyDialect(postgresFixture);

    public BenchOptions Options { get; } = options;

    public BenchPaths Paths { get; } = paths;

    public ResultBook Results { get; } = results;

    /// <summary>Starts a fresh contender process in a fresh directory (for Parley, a copy of the seeded database).</summary>
    public async Task<RunningContender> StartAsync(ContenderKind kind)
    {
        var directory = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            IReadOnlyList<string>? storage = null;
            if (kind == ContenderKind.ParleyPostgres)
            {
                storage = await (postgresFixture ?? throw new InvalidOperationException("No PostgreSQL fixture was seeded.")).PrepareRunAsync(directory);
            }
            else if (kind.IsParley())
            {
                storage = await fixture!.PrepareRunAsync(directory);
            }
            return new RunningContender(await ContenderProcess.StartAsync(kind, Paths, Options.Pin, directory, storage, Options.ServerEnvironment), directory);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Copies Parley's seeded database into <paramref name="directory"/> (for measurements on the store alone).</summary>
    public void CopyParleyDatabase(string directory) => fixture!.CopyTo(directory);

    /// <summary>
    /// Client <paramref name="index"/> of <paramref name="channels"/> × <paramref name="perChannel"/>: channel
    /// <c>index % channels</c>; users spread so that a channel holds as many distinct users as the fixture
    /// allows (each user's first socket in a channel costs Parley a presence broadcast, as in real use).
    /// </summary>
    public IBenchClient CreateClient(ContenderKind kind, ContenderProcess server, int index, int channels, int perChannel, bool forceRaw = false)
    {
        var channel = index % channels;
        var row = index / channels;
        var distinct = Math.Max(1, Math.Min(perChannel, ParleyFixture.UserCount / channels));
        var user = channel + (channels * (row % distinct));
        if (kind == ContenderKind.SignalR && Options.SignalRClient == "official" && !forceRaw)
        {
            return new OfficialSignalRClient(index, channel, server.BaseUri, SourceAddresses.For(index));
        }
        Dialect dialect = kind switch
        {
            ContenderKind.SignalR => _signalR,
            ContenderKind.Kestrel => _kestrel,
            ContenderKind.ParleyPostgres => _parleyPostgres!,
            _ => _parley!,
        };
        return Options.Client == "clientwebsocket"
            ? new WsClient(index, channel, user, dialect, server.BaseUri, SourceAddresses.For(index))
            : new RawWsClient(index, channel, user, dialect, server.BaseUri);
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>
    /// Waits until setup traffic (joins, presence broadcasts) is over: no client received a frame for 300 ms
    /// and the server wanted less than half its core meanwhile. At most 20 s.
    /// </summary>
    public static async Task SettleAsync(ContenderProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var frames = FrameCounter.Received;
            var before = UsageSnapshot.Take(server);
            await Task.Delay(300);
            if (FrameCounter.Received == frames && before.Until(UsageSnapshot.Take(server)).ServerDemand < 0.5)
            {
                return;
            }
        }
    }
}
