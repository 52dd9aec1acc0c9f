using System.Globalization;

namespace Parley.Bench;

/// <summary>
/// Reads how much CPU time the cores the benchmark runs on have been busy, whoever used it, from the
/// per-core lines of /proc/stat. Less the server's and the generator's own CPU time, that is the time other
/// processes (and the kernel on their behalf) took from the benchmark's cores.
/// </summary>
internal static class CoreStats
{
    /// <summary>The server is pinned to core 0 and the generator to core 1.</summary>
    private static readonly int[] BenchCores = [0, 1];

    // USER_HZ, the unit of /proc/stat as of /proc/PID/stat (see ProcStats).
    private const double ClockTicksPerSecond = 100;

    /// <summary>
    /// Busy milliseconds so far of cores 0 and 1, summed: user + nice + system + irq + softirq +
    /// steal. Idle and iowait are not busy; guest time is already counted in user. Steal counts because it is
    /// time another virtual machine had the physical core. 0 where /proc/stat does not exist.
    /// </summary>
    public static double BusyMilliseconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }
        long ticks = 0;
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                // The per-core lines come first; nothing after them is needed.
                break;
            }
            // "cpuN user nice system idle iowait irq softirq steal guest guest_nice"; the first line is the
            // machine total ("cpu "), which has no number.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var core) || !BenchCores.Contains(core))
            {
                continue;
            }
            foreach (var index in (ReadOnlySpan<int>)[1, 2, 3, 6, 7, 8])
            {
                ticks += long.Parse(fields[index], CultureInfo.InvariantCulture);
            }
        }
        return ticks * 1000 / ClockTicksPerSecond;
    }
}
