using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Bench;

/// <summary>
/// A throwaway PostgreSQL 15 for the benchmark, started the way the server tests start theirs: a fresh cluster
/// (<c>initdb</c>) in a temp folder, <c>pg_ctl start</c> on a free loopback port, all as the <c>postgres</c> user when
/// the runner is root (initdb and postgres refuse root). Unlike the tests' server it keeps PostgreSQL's durable
/// defaults (<c>fsync=on</c>, <c>synchronous_commit=on</c>), so a commit is on disk before Parley echoes, as with
/// SQLite's <c>synchronous=FULL</c>. It runs on the server's core (<c>taskset -c 0</c>, inherited by every backend),
/// so that it does not take the generator's. Stopped and deleted at disposal.
/// </summary>
internal sealed class PostgresLauncher : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string _root;
    private readonly bool _pin;

    private PostgresLauncher(string root, int port, bool pin)
    {
        _root = root;
        Port = port;
        _pin = pin;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Whether PostgreSQL 15's server binaries are installed (<c>scripts/install-postgres.sh</c> installs them).</summary>
    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "postgres"));

    public static async Task<PostgresLauncher> StartAsync(bool pin)
    {
        var root = Directory.CreateTempSubdirectory("parley-bench-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root]);
        }
        var launcher = new PostgresLauncher(root, FreePort(), pin);
        await launcher.RunAsServerUserAsync("initdb", ["-D", launcher.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"]);
        var options = string.Join(' ',
            $"-p {launcher.Port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={root}",
            "-c max_connections=200",
            "-c shared_buffers=128MB");
        await launcher.RunAsServerUserAsync("pg_ctl", ["-D", launcher.DataDirectory, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60", "-o", options, "start"]);
        return launcher;
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Timeout=30;Command Timeout=60";

    /// <summary>Creates <paramref name="database"/>, empty or as a copy of <paramref name="template"/> (which must have no connection).</summary>
    public Task CreateDatabaseAsync(string database, string? template = null) =>
        RunAsServerUserAsync("psql", ["-h", _root, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c",
            template is null ? $"CREATE DATABASE {database}" : $"CREATE DATABASE {database} TEMPLATE {template}"]);

    private Task RunAsServerUserAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = tool == "psql" ? "psql" : Path.Combine(BinDirectory, tool);
        IEnumerable<string> command = IsRoot ? ["-u", "postgres", "--", path, .. arguments] : [path, .. arguments];
        var program = IsRoot ? "runuser" : command.First();
        if (!IsRoot)
        {
            command = command.Skip(1);
        }
        // pg_ctl start forks the postmaster, which keeps the affinity it is started with.
        return _pin && tool == "pg_ctl" ? RunAsync("taskset", ["-c", "0", program, .. command]) : RunAsync(program, [.. command]);
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user cannot enter the runner's working directory.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsServerUserAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]);
        }
        catch (InvalidOperationException ex)
        {
            Scenarios.BenchContext.Log($"Stopping the benchmark's PostgreSQL failed: {ex.Message}");
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
