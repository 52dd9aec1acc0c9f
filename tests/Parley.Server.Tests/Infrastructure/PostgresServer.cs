using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the tests of the <see cref="PostgresCollection"/>: a fresh cluster (initdb) in a
/// temp folder, started on a free loopback port with <c>fsync=off</c> (a crash of the test machine may lose it; nothing
/// else), stopped and deleted at disposal. Test classes get a database each.
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root, so as root they run as the <c>postgres</c> user (<c>runuser</c>), which
/// the Debian package creates; as another user they run as that user. Missing binaries are installed with
/// <c>scripts/install-postgres.sh</c>. When the server cannot be installed or started, <see cref="InitializeAsync"/>
/// throws, so every Postgres test fails with the reason: they are never skipped.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string FolderPrefix = "parley-pg-";
    private const string OwnerFile = "owner.pid";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _sharedDatabases = new();
    private readonly SemaphoreSlim _createDatabase = new(1, 1);
    private int _databaseCounter;
    private string _binDirectory = "";
    private string _root = "";

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "postgres.log");

    private static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinaries() ?? await InstallBinariesAsync();
        await StopOrphanedServersAsync();
        _root = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await File.WriteAllTextAsync(Path.Combine(_root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }
        await RunAsServerUserAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // The port is free when picked but another process may take it before postgres binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private async Task StartAsync()
    {
        var options = string.Join(' ',
            $"-p {Port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={_root}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200",
            "-c shared_buffers=32MB");
        try
        {
            await RunAsServerUserAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"]);
        }
        catch (InvalidOperationException ex)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no log)";
            throw new InvalidOperationException($"PostgreSQL did not start on port {Port}: {ex.Message}\nServer log:\n{log}", ex);
        }
    }

    /// <summary>Stops the server (fast shutdown), keeping its data, to simulate an outage.</summary>
    public Task StopServerAsync() => RunAsServerUserAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);

    /// <summary>Starts the stopped server again on the same port.</summary>
    public Task StartServerAgainAsync() => StartAsync();

    /// <summary>The connection string of a database made once per <paramref name="name"/> (one per test class).</summary>
    public Task<string> GetOrCreateDatabaseAsync(string name) =>
        _sharedDatabases.GetOrAdd(name, key => new Lazy<Task<string>>(() => CreateNamedDatabaseAsync(key))).Value;

    /// <summary>A new empty database, named after <paramref name="prefix"/> and a counter.</summary>
    public Task<string> CreateDatabaseAsync(string prefix) =>
        CreateNamedDatabaseAsync($"{prefix}_{Interlocked.Increment(ref _databaseCounter)}");

    /// <summary>The connection string of database <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Timeout = 30,
            CommandTimeout = 60,
        }.ConnectionString;

    private async Task<string> CreateNamedDatabaseAsync(string name)
    {
        var database = name.ToLowerInvariant();
        await _createDatabase.WaitAsync();
        try
        {
            var admin = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync();
        }
        finally
        {
            _createDatabase.Release();
        }
        return ConnectionString(database);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root.Length == 0)
        {
            return;
        }
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // Fast shutdown: open test connections are ended rather than waited for.
            await RunAsServerUserAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        }
        TryDelete(_root);
    }

    /// <summary>
    /// Stops and deletes the servers of earlier test runs whose process died before disposing its fixture (a killed
    /// test host), so that they do not pile up on a shared machine. Servers of live runs are left alone.
    /// </summary>
    private async Task StopOrphanedServersAsync()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, OwnerFile);
            if (!File.Exists(ownerFile) || !int.TryParse(await File.ReadAllTextAsync(ownerFile), CultureInfo.InvariantCulture, out var owner) || IsRunning(owner))
            {
                continue;
            }
            var data = Path.Combine(folder, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsServerUserAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // Already gone (a stale pid file): deleting the folder is all that is left to do.
                }
            }
            TryDelete(folder);
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

    private static async Task<string> InstallBinariesAsync()
    {
        var script = FindRepositoryFile(Path.Combine("scripts", "install-postgres.sh"));
        if (script is not null)
        {
            await RunAsync("bash", [script]);
        }
        else
        {
            await RunAsync("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql"]);
        }
        return FindBinaries()
            ?? throw new InvalidOperationException("PostgreSQL was installed but no /usr/lib/postgresql/*/bin/initdb was found.");
    }

    private static string? FindRepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private Task RunAsServerUserAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binDirectory, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], _root) : RunAsync(path, arguments, _root);
    }

    /// <summary>Runs a command to its end; throws <see cref="InvalidOperationException"/> with its output when it fails.</summary>
    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user may not be allowed into the test's own directory.
            WorkingDirectory = workingDirectory is { Length: > 0 } && Directory.Exists(workingDirectory) ? workingDirectory : Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var commandLine = $"{fileName} {string.Join(' ', arguments)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {commandLine}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start {commandLine}: {ex.Message}", ex);
        }
        using (process)
        {
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
