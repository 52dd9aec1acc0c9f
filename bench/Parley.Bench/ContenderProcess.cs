using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Parley.Bench;

/// <summary>
/// One contender server, started as a child process (<c>taskset -c 0 dotnet DLL</c>) on a free loopback port,
/// with the probe startup hook. Stopped with SIGTERM, then killed if it does not exit in time.
/// </summary>
internal sealed class ContenderProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _probePath;
    private readonly StringBuilder _output = new();

    private ContenderProcess(ContenderKind kind, Process process, Uri baseUri, string probePath, string dataDirectory)
    {
        Kind = kind;
        _process = process;
        BaseUri = baseUri;
        _probePath = probePath;
        DataDirectory = dataDirectory;
    }

    public ContenderKind Kind { get; }

    public Uri BaseUri { get; }

    public string DataDirectory { get; }

    public string Pid => _process.Id.ToString(CultureInfo.InvariantCulture);

    public bool HasExited => _process.HasExited;

    public double CpuMilliseconds() => ProcStats.CpuMilliseconds(Pid);

    /// <summary>Samples the CPU demand of this contender and of the generator while it runs.</summary>
    public Results.DemandSampler? Demand { get; private set; }

    public long RssBytes() => ProcStats.RssBytes(Pid);

    /// <summary>From starting the process to the first successful answer of its readiness path.</summary>
    public TimeSpan ReadyAfter { get; private set; }

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the contender; for Parley, <paramref name="dataDirectory"/> holds the SQLite file. It is ready when
    /// <paramref name="readiness"/> answers 2xx (by default <c>/healthz</c>, which every contender has, asked every 100 ms).
    /// </summary>
    public static async Task<ContenderProcess> StartAsync(
        ContenderKind kind, BenchPaths paths, bool pin, string dataDirectory, IEnumerable<string>? extraArguments = null, IReadOnlyDictionary<string, string>? environment = null,
        ReadinessCheck? readiness = null)
    {
        var port = FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var probePath = Path.Combine(dataDirectory, "probe.sock");
        var start = new ProcessStartInfo
        {
            FileName = pin ? "taskset" : "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        if (pin)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("0");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(paths.Dll(kind));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUri.ToString().TrimEnd('/'));
        // The same logging for every contender: warnings only, so no contender pays for per-connection logs.
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        if (kind.IsParley())
        {
            foreach (var argument in ParleyArguments(kind, dataDirectory))
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in extraArguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_STARTUP_HOOKS"] = BenchPaths.HookAssembly;
        start.Environment[StartupHook.PathVariable] = probePath;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {kind}.");
        var contender = new ContenderProcess(kind, process, baseUri, probePath, dataDirectory);
        process.OutputDataReceived += (_, e) => contender.Append(e.Data);
        process.ErrorDataReceived += (_, e) => contender.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Scenarios.BenchContext.Log($"  started {kind.Label()} as pid {process.Id} on {baseUri}");
        try
        {
            await contender.WaitUntilReadyAsync(readiness ?? ReadinessCheck.Default);
        }
        catch
        {
            await contender.DisposeAsync();
            throw;
        }
        contender.ReadyAfter = Stopwatch.GetElapsedTime(startedAt);
        contender.Demand = new Results.DemandSampler(contender.Pid);
        return contender;
    }

    /// <summary>
    /// Benchmark settings: the per-user send bucket and socket quota raised out of the way (the load comes
    /// from few users), SQLite synchronous FULL (the default) or NORMAL. Everything else is Parley's default.
    /// </summary>
    public static IEnumerable<string> ParleyArguments(ContenderKind kind, string dataDirectory) =>
    [
        $"--ConnectionStrings:Chat=Data Source={Path.Combine(dataDirectory, "parley.db")}",
        "--RateLimit:TokenLimit=1000000",
        "--RateLimit:TokensPerPeriod=1000000",
        "--Realtime:MaxSocketsPerUser=1000000",
        $"--Storage:SqliteSynchronous={(kind == ContenderKind.ParleyNormal ? "NORMAL" : "FULL")}",
    ];

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length > 64 * 1024)
            {
                _output.Remove(0, _output.Length / 2);
            }
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync(ReadinessCheck readiness)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} exited at start:\n{RecentOutput}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, readiness.Path));
                if (response.IsSuccessStatusCode && File.Exists(_probePath))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(readiness.Interval);
        }
        throw new TimeoutException($"{Kind} did not become ready in 60 s:\n{RecentOutput}");
    }

    /// <summary>Forces a full GC in the contender and reads its live heap, GC-committed bytes and RSS.</summary>
    public async Task<ProbeReading> ProbeAsync()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_probePath), timeout.Token);
        await socket.SendAsync("gc\n"u8.ToArray(), SocketFlags.None, timeout.Token);
        var buffer = new byte[128];
        var length = 0;
        while (length == 0 || buffer[length - 1] != '\n')
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        var parts = Encoding.ASCII.GetString(buffer, 0, length).Trim().Split(' ');
        return new ProbeReading(
            long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), RssBytes());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Demand?.Dispose();
        if (!_process.HasExited)
        {
            NativeMethods.Terminate(_process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
