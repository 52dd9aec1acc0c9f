using System.Diagnostics;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port (Debian's package, installed by the test command), with
/// persistence off. Tests pause, kill and restart it to simulate outages.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public int ProcessId => _process!.Id;

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/install-test-deps.sh (apt-get install redis-server).");
        }
        var server = new RedisServer(LoopbackPort.Free());
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        _process = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        if (await LoopbackPort.WaitUntilListeningAsync(Port, _process))
        {
            return;
        }
        throw new InvalidOperationException($"redis-server did not start on port {Port}.");
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open but nothing is answered.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    /// <summary>Kills the server and starts a fresh one (empty) on the same port.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await StartAgainAsync();
    }

    /// <summary>Kills the server: connections drop and it is gone until <see cref="StartAgainAsync"/>.</summary>
    public async Task KillAsync()
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts a fresh (empty) server on the same port after <see cref="KillAsync"/>.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process!.Id}");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Signal("CONT");
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
