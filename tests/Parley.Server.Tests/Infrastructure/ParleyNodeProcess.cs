using System.Diagnostics;
using System.Text;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The real Parley server as a separate process (the built Parley.Server.dll), for scale-out tests with
/// several nodes that can be killed like real ones.
/// </summary>
public sealed class ParleyNodeProcess : IServerEndpoint, IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ParleyNodeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string ServerDll()
    {
        // The test's own configuration (Debug/Release) picks the server build next to it in the repo.
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDir.Parent!.Name;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Parley.slnx")))
        {
            root = root.Parent;
        }
        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Repository root not found."),
            "src", "Parley.Server", "bin", configuration, "net10.0", "Parley.Server.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Server build not found at {dll}.");
    }

    public static async Task<ParleyNodeProcess> StartAsync(IDictionary<string, string> settings, int? port = null)
    {
        var chosen = port ?? LoopbackPort.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ServerDll());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{chosen}");
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Parley"] = "Information";
        var node = new ParleyNodeProcess(Process.Start(info)!, chosen);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilHealthyAsync();
        }
        catch
        {
            // A node that hangs on start would otherwise outlive the test run.
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "/healthz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Node on port {Port} did not become healthy:\n{Log}");
    }

    /// <summary>SIGKILL: the node dies without saying goodbye.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", $"-TERM {_process.Id}");
            await term.WaitForExitAsync();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
