using System.Runtime.InteropServices;

namespace Parley.Bench;

/// <summary>The two libc calls .NET has no API for: raising the open-file limit and sending SIGTERM.</summary>
internal static partial class NativeMethods
{
    private const int RlimitNofile = 7;
    private const int Sigterm = 15;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <summary>Raises RLIMIT_NOFILE (children inherit it) as far as allowed; returns the soft limit in force.</summary>
    public static ulong RaiseOpenFileLimit(ulong wanted)
    {
        if (!OperatingSystem.IsLinux() || getrlimit(RlimitNofile, out var limit) != 0)
        {
            return 0;
        }
        if (limit.Current >= wanted)
        {
            return limit.Current;
        }
        // Root may raise the hard limit (up to fs.nr_open); others only the soft one up to the hard one.
        var raised = new RLimit { Current = wanted, Max = Math.Max(wanted, limit.Max) };
        if (setrlimit(RlimitNofile, raised) != 0)
        {
            raised = new RLimit { Current = limit.Max, Max = limit.Max };
            setrlimit(RlimitNofile, raised);
        }
        return getrlimit(RlimitNofile, out limit) == 0 ? limit.Current : 0;
    }

    public static void Terminate(int pid) => kill(pid, Sigterm);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    /// <summary>The calling thread's kernel id (its /proc/self/task entry).</summary>
    public static int CurrentThreadId() => GetTid();
}
