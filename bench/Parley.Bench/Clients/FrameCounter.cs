namespace Parley.Bench.Clients;

/// <summary>Frames received by all clients, so a scenario can wait until setup traffic has stopped.</summary>
internal static class FrameCounter
{
    private static long _received;

    public static long Received => Interlocked.Read(ref _received);

    public static void Increment() => Interlocked.Increment(ref _received);
}
