using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Parley.Bench;

/// <summary>
/// The benchmark's throwaway PostgreSQL server (Parley on PostgreSQL in the persistence scenarios, and the data set on
/// PostgreSQL), made as tests/Parley.Server.Tests's PostgresServer
/// makes its own: a fresh cluster (initdb) in a temp folder, started with <c>pg_ctl</c> on a free loopback port, its
/// socket in that folder, stopped (fast shutdown) and deleted at disposal, whatever happened before. PostgreSQL's own
/// settings stay at their defaults (fsync and synchronous commit on, as SQLite's synchronous FULL), so that what is
/// measured is a stock server. Pinned, it runs on the server's core (0) with Parley: it does the work SQLite does inside
/// Parley's process. initdb and postgres refuse to run as root, so as root they run as the <c>postgres</c> user.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private const string FolderPrefix = "parley-bench-pg-";
    private const string OwnerFile = "owner.pid";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _pin;

    private PostgresCluster(string bin, string root, bool pin, int port)
    {
        _bin = bin;
        _root = root;
        _pin = pin;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Whether PostgreSQL's server binaries are installed (<c>scripts/install-postgres.sh</c> installs them).</summary>
    public static bool IsInstalled => FindBinaries() is not null;

    /// <summary>
    /// Makes and starts a cluster, with <paramref name="settings"/> as extra <c>-c name=value</c> server settings; fails
    /// with the reason (and the server's log) when PostgreSQL is missing or does not start.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(bool pin, params string[] settings)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): scripts/install-postgres.sh installs it.");
        await StopOrphansAsync(bin);
        var root = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var cluster = new PostgresCluster(bin, root, pin, FreePort());
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root], root);
            }
            await cluster.RunToolAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            var options = string.Join(' ', [$"-p {cluster.Port} -k {root} -c listen_addresses=127.0.0.1", .. settings.Select(setting => $"-c {setting}")]);
            var log = Path.Combine(root, "postgres.log");
            try
            {
                await cluster.RunToolAsync("pg_ctl", ["-D", cluster.DataDirectory, "-l", log, "-w", "-t", "120", "-o", options, "start"]);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL did not start on port {cluster.Port}: {ex.Message}\nServer log:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "(none)")}", ex);
            }
            Scenarios.BenchContext.Log($"  started PostgreSQL ({Path.GetFileName(Path.GetDirectoryName(bin))}) on 127.0.0.1:{cluster.Port}, pid {cluster.PostmasterPid()}");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Creates <paramref name="database"/>, empty or as a copy of <paramref name="template"/> (a file copy: the default
    /// strategy of PostgreSQL 15 would write the whole copy to the WAL).
    /// </summary>
    public async Task CreateDatabaseAsync(string database, string? template = null)
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync(template is null
            ? $"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8'"
            : $"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY");
    }

    public async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    /// <summary>CPU milliseconds used so far by the server's processes alive now (the postmaster and its children).</summary>
    public double CpuMilliseconds()
    {
        var postmaster = PostmasterPid();
        double total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(directory);
            if (!int.TryParse(pid, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (pid == postmaster || parent == postmaster)
                {
                    total += ProcStats.CpuMilliseconds(pid);
                }
            }
            catch (IOException)
            {
                // The process exited meanwhile.
            }
        }
        return total;
    }

    private string PostmasterPid() => File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First().Trim();

    private async Task AdminAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false, CommandTimeout = 600 }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                // Fast shutdown: open connections are ended, not waited for.
                await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
            }
        }
        finally
        {
            TryDelete(_root);
        }
    }

    /// <summary>Stops and deletes the clusters of earlier runs whose runner died before disposing them; live runs' are left alone.</summary>
    private static async Task StopOrphansAsync(string bin)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, OwnerFile);
            if (!File.Exists(ownerFile) || !int.TryParse(await File.ReadAllTextAsync(ownerFile), CultureInfo.InvariantCulture, out var owner) || IsRunning(owner))
            {
                continue;
            }
            var orphan = new PostgresCluster(bin, folder, pin: false, port: 0);
            try
            {
                await orphan.DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped (a stale pid file): the folder is deleted all the same.
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Where(version => File.Exists(Path.Combine(version, "bin", "initdb")))
                .OrderByDescending(version => int.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var number) ? number : 0)
                .Select(version => Path.Combine(version, "bin"))
                .FirstOrDefault()
            : null;

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        List<string> command = IsRoot ? ["runuser", "-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments] : [Path.Combine(_bin, tool), .. arguments];
        if (_pin)
        {
            // The postmaster and every backend it forks inherit the affinity.
            command = ["taskset", "-c", "0", .. command];
        }
        return RunAsync(command[0], command[1..], _root);
    }

    /// <summary>Runs a command to its end; throws <see cref="InvalidOperationException"/> with its output when it fails.</summary>
    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user may not be allowed into the runner's own directory.
            WorkingDirectory = Directory.Exists(workingDirectory) ? workingDirectory : Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var commandLine = $"{fileName} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {commandLine}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{commandLine} did not finish within {CommandTimeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine} failed with exit code {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
