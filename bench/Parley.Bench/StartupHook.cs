using System.Net.Sockets;
using System.Text;

#pragma warning disable CA1050 // The runtime looks for a type named StartupHook in the global namespace.

/// <summary>
/// Loaded into each contender by <c>DOTNET_STARTUP_HOOKS</c> (the runner sets it; no contender has code for
/// it), so that the managed heap of every contender is read the same way: on request over a Unix socket, a
/// full blocking GC, then <c>GC.GetTotalMemory</c>. Nothing runs unless the runner asked for it.
/// </summary>
public static class StartupHook
{
    public const string PathVariable = "PARLEY_BENCH_PROBE";

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        new Thread(() => Serve(path)) { IsBackground = true, Name = "bench probe" }.Start();
    }

    private static void Serve(string path)
    {
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        while (true)
        {
            using var client = listener.Accept();
            var request = new byte[16];
            if (client.Receive(request) <= 0)
            {
                continue;
            }
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var info = GC.GetGCMemoryInfo();
            var reply = FormattableString.Invariant($"{GC.GetTotalMemory(false)} {info.TotalCommittedBytes}\n");
            client.Send(Encoding.ASCII.GetBytes(reply));
        }
    }
}
