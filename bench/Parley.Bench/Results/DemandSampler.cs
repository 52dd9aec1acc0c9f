using System.Globalization;

namespace Parley.Bench.Results;

/// <summary>
/// Every 10 ms, looks at the state of every thread of the server and of the generator (this process, less
/// this sampling thread) and counts the samples where at least one thread was running or runnable ('R'). That
/// fraction is the process's CPU demand: unlike CPU time, it stays near 100% for a process that wants its
/// whole core but gets only part of it because other work shares the machine; unlike run-queue wait summed
/// over threads, it does not count two runnable threads twice. The stat files are kept open and re-read.
/// </summary>
internal sealed class DemandSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private readonly string _serverPid;
    private readonly Thread _thread;
    private readonly Dictionary<string, FileStream> _files = [];
    private volatile bool _stopped;
    private long _samples;
    private long _serverRunnable;
    private long _generatorRunnable;

    public DemandSampler(string serverPid)
    {
        _serverPid = serverPid;
        _thread = new Thread(Run) { IsBackground = true, Name = "demand sampler" };
        _thread.Start();
    }

    public (long Samples, long ServerRunnable, long GeneratorRunnable) Read() =>
        (Interlocked.Read(ref _samples), Interlocked.Read(ref _serverRunnable), Interlocked.Read(ref _generatorRunnable));

    private void Run()
    {
        var self = NativeMethods.CurrentThreadId().ToString(CultureInfo.InvariantCulture);
        var buffer = new byte[128];
        string[] server = [];
        string[] generator = [];
        var refreshed = DateTime.MinValue;
        while (!_stopped)
        {
            if (DateTime.UtcNow - refreshed > TimeSpan.FromMilliseconds(500))
            {
                server = Tasks(_serverPid, null);
                generator = Tasks("self", self);
                refreshed = DateTime.UtcNow;
            }
            var serverRunnable = AnyRunnable(server, buffer);
            var generatorRunnable = AnyRunnable(generator, buffer);
            Interlocked.Increment(ref _samples);
            if (serverRunnable)
            {
                Interlocked.Increment(ref _serverRunnable);
            }
            if (generatorRunnable)
            {
                Interlocked.Increment(ref _generatorRunnable);
            }
            Thread.Sleep(Interval);
        }
    }

    private static string[] Tasks(string pid, string? except)
    {
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{pid}/task").Where(d => Path.GetFileName(d) != except).Select(d => Path.Combine(d, "stat"))];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private bool AnyRunnable(string[] stats, byte[] buffer)
    {
        var any = false;
        foreach (var path in stats)
        {
            try
            {
                if (!_files.TryGetValue(path, out var file))
                {
                    _files[path] = file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                }
                file.Position = 0;
                var length = file.Read(buffer, 0, buffer.Length);
                // "tid (comm) S ...": the state follows the last ") ".
                var close = buffer.AsSpan(0, length).LastIndexOf((byte)')');
                if (close >= 0 && close + 2 < length && buffer[close + 2] == 'R')
                {
                    any = true;
                }
            }
            catch (IOException)
            {
                if (_files.Remove(path, out var gone))
                {
                    gone.Dispose();
                }
            }
        }
        return any;
    }

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }
    }
}
