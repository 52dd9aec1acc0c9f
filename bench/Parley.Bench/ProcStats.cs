using System.Globalization;

namespace Parley.Bench;

/// <summary>Reads a process's CPU time (utime + stime) and resident memory from /proc, the same way for every process.</summary>
internal static class ProcStats
{
    // USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux ABI .NET runs on.
    private const double ClockTicksPerSecond = 100;

    /// <summary>CPU milliseconds used so far by the process (all threads); "self" for this process.</summary>
    public static double CpuMilliseconds(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 (comm) is parenthesized and may contain spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) * 1000 / ClockTicksPerSecond;
    }

    /// <summary>
    /// Run-queue wait (ms) and number of times on a CPU, summed over the process's current threads
    /// (/proc/PID/task/*/schedstat). Their quotient is the mean scheduling delay of a wake-up: microseconds on
    /// a quiet machine, milliseconds when other work competes for the cores, and then it dominates latency.
    /// </summary>
    public static (double WaitMilliseconds, long Slices) Scheduler(string pid)
    {
        double wait = 0;
        long slices = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    wait += long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e6;
                    slices += long.Parse(fields[2], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread exited meanwhile.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return (wait, slices);
    }

    /// <summary>VmRSS in bytes.</summary>
    public static long RssBytes(string pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }
}
