namespace Parley.Bench;

/// <summary>The command line: <c>all</c> or scenario names, and switches. Every run is bounded by these numbers.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios = ["idle", "fanout", "latency", "persistence", "scale", "dataset", "dataset-postgres"];

    /// <summary>Only the data-set scenario, which brings its own accounts and databases (no seeded fixture, no contenders' table).</summary>
    public bool DatasetOnly => Scenarios.All(s => s.StartsWith("dataset", StringComparison.Ordinal));

    public List<string> Scenarios { get; } = [];

    public List<ContenderKind> Contenders { get; } = [];

    public int Repeats { get; set; } = 3;

    public bool Quick { get; set; }

    /// <summary>Also runs Parley with <c>Storage:SqliteSynchronous=NORMAL</c> in the latency and persistence scenarios.</summary>
    public bool ParleyNormal { get; set; } = true;

    /// <summary>Also runs Parley on PostgreSQL (a throwaway PostgreSQL 15 the runner starts) in the persistence scenarios.</summary>
    public bool ParleyPostgres { get; set; } = true;

    /// <summary><c>raw</c>: the SignalR JSON protocol spoken by the <see cref="Client"/>; <c>official</c>: Microsoft.AspNetCore.SignalR.Client.</summary>
    public string SignalRClient { get; set; } = "raw";

    /// <summary>
    /// The generator's WebSocket client for all three contenders: <c>raw</c> (the default), frames parsed in
    /// place over a plain socket (<see cref="Clients.RawWsClient"/>); <c>clientwebsocket</c>,
    /// System.Net.WebSockets.ClientWebSocket (<see cref="Clients.WsClient"/>), which costs the generator more per delivery.
    /// </summary>
    public string Client { get; set; } = "raw";

    /// <summary>The scale scenario stops connecting here (bounds its time); it reports how many were held.</summary>
    public int ScaleTarget { get; set; } = 100_000;

    public int IdleConnections { get; set; } = 5_000;

    /// <summary>Repeats of the scale scenario (slow: minutes of connecting); the first N repeats run it. Default 1.</summary>
    public int ScaleRepeats { get; set; } = 1;

    /// <summary>RLIMIT_NOFILE in force after trying to raise it; each socket costs the server and the generator one descriptor.</summary>
    public ulong FileLimit { get; set; } = ulong.MaxValue;

    /// <summary>The data-set scenario's big database as a fraction of issue 16's shape (1: 100,000 users, 1,000,000 messages; --quick: 0.1).</summary>
    public double DatasetScale { get; set; } = 1;

    /// <summary>Timed requests per operation in the data-set scenario (after a tenth as many, at least 10, of warm-up).</summary>
    public int DatasetSamples { get; set; } = 200;

    public bool Pin { get; set; } = true;

    /// <summary>Extra environment for every contender (<c>--server-env DOTNET_PerfMapEnabled=1</c> to profile with perf).</summary>
    public Dictionary<string, string> ServerEnvironment { get; } = [];

    public bool Build { get; set; } = true;

    public bool UpdateDocs { get; set; }

    public string? OutputDirectory { get; set; }

    /// <summary>Seconds of measurement per throughput window (after warm-up); <c>--measure-seconds</c> overrides it.</summary>
    public double MeasureSeconds => MeasureSecondsOverride ?? (Quick ? 2.5 : 4);

    /// <summary>
    /// Seconds of warm-up before a throughput window; <c>--warmup-seconds</c> overrides it. Each window starts a fresh
    /// contender, whose hot methods are still being recompiled by tiered compilation during the default warm-up, so a
    /// profile of the steady state wants several seconds here.
    /// </summary>
    public double WarmupSeconds => WarmupSecondsOverride ?? (Quick ? 0.75 : 1);

    public double? MeasureSecondsOverride { get; set; }

    public double? WarmupSecondsOverride { get; set; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "all":
                    options.Scenarios.AddRange(AllScenarios);
                    break;
                case "--quick":
                    options.Quick = true;
                    options.Repeats = 1;
                    options.DatasetScale = 0.1;
                    break;
                case "--repeats":
                    options.Repeats = Math.Max(1, int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--contenders":
                    options.Contenders.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ContenderKinds.Parse));
                    break;
                case "--no-parley-normal":
                    options.ParleyNormal = false;
                    break;
                case "--no-parley-postgres":
                    options.ParleyPostgres = false;
                    break;
                case "--signalr-client":
                    options.SignalRClient = Next() is "official" or "raw" ? args[i] : throw new ArgumentException("--signalr-client is raw or official.");
                    break;
                case "--client":
                    options.Client = Next() is "raw" or "clientwebsocket" ? args[i] : throw new ArgumentException("--client is raw or clientwebsocket.");
                    break;
                case "--scale-target":
                    options.ScaleTarget = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--scale-repeats":
                    options.ScaleRepeats = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--idle-connections":
                    options.IdleConnections = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--dataset-scale":
                    options.DatasetScale = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    // Below 0.01 a workspace of 100 would not find 100 distinct generated users.
                    if (options.DatasetScale is < 0.01 or > 10)
                    {
                        throw new ArgumentException("--dataset-scale is a fraction of the full shape, from 0.01 to 10.");
                    }
                    break;
                case "--dataset-samples":
                    options.DatasetSamples = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    // Each mark_read moves the owner's cursor one message on: the empty database has 1,000 unread.
                    if (options.DatasetSamples is < 1 or > 800)
                    {
                        throw new ArgumentException("--dataset-samples is between 1 and 800.");
                    }
                    break;
                case "--measure-seconds":
                    options.MeasureSecondsOverride = Seconds(Next(), arg);
                    break;
                case "--warmup-seconds":
                    options.WarmupSecondsOverride = Seconds(Next(), arg);
                    break;
                case "--server-env":
                    var pair = Next().Split('=', 2);
                    options.ServerEnvironment[pair[0]] = pair.Length == 2 ? pair[1] : "";
                    break;
                case "--no-pin":
                    options.Pin = false;
                    break;
                case "--no-build":
                    options.Build = false;
                    break;
                case "--update-docs":
                    options.UpdateDocs = true;
                    break;
                case "--out":
                    options.OutputDirectory = Next();
                    break;
                default:
                    if (AllScenarios.Contains(arg))
                    {
                        options.Scenarios.Add(arg);
                        break;
                    }
                    throw new ArgumentException($"Unknown argument '{arg}'.");
            }
        }
        if (options.Scenarios.Count == 0)
        {
            throw new ArgumentException("Name a scenario or 'all'.");
        }
        if (options.Contenders.Count == 0)
        {
            options.Contenders.AddRange([ContenderKind.Parley, ContenderKind.SignalR, ContenderKind.Kestrel]);
        }
        return options;
    }

    private static double Seconds(string text, string option) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 60
            ? seconds
            : throw new ArgumentException($"{option} is a number of seconds, above 0 and at most 60.");

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Parley.Bench -- all|SCENARIO... [options]
          scenarios: idle fanout latency persistence scale dataset dataset-postgres
          --quick                one repeat, shorter windows, the data set at 0.1 of its size
          --repeats N            repeats per figure (default 3; the table shows the median and min-max)
          --contenders LIST      parley,signalr,kestrel (default all three)
          --no-parley-normal     skip Parley with Storage:SqliteSynchronous=NORMAL (latency, persistence)
          --no-parley-postgres   skip Parley on PostgreSQL (persistence; needs /usr/lib/postgresql/15, which
                                 scripts/install-postgres.sh installs)
          --client raw|clientwebsocket    the generator's WebSocket client (default raw: frames parsed in place
                                 over a plain socket; clientwebsocket: System.Net.WebSockets.ClientWebSocket)
          --signalr-client raw|official   SignalR's JSON protocol over that client, or the official
                                 Microsoft.AspNetCore.SignalR.Client (default raw)
          --scale-target N       connections the scale scenario stops at (default 100000)
          --scale-repeats N      repeats of the scale scenario (default 1: it takes minutes)
          --idle-connections N   connections of the idle scenario (default 5000)
          --dataset-scale F      the data set's big database as a fraction of issue 16's shape (0.01-10; default 1:
                                 100,000 users, 1,000,000 messages in one channel; --quick: 0.1)
          --dataset-samples N    timed requests per data-set operation (default 200, at most 800)
                                 (dataset-postgres: the same on PostgreSQL, a throwaway server the runner starts)
          --update-docs          rewrite the results section of docs/benchmarks.md and docs/benchmarks.svg
          --out DIR              where results go (default bench/results)
          --warmup-seconds S     warm-up before each throughput window (default 1; --quick: 0.75)
          --measure-seconds S    measured time of each throughput window (default 4; --quick: 2.5)
          --server-env KEY=VALUE extra environment for the contenders (e.g. DOTNET_PerfMapEnabled=1)
          --no-pin               do not pin with taskset (server core 0, generator core 1)
          --no-build             use the contenders' existing Release builds
        """;
}
