namespace Parley.Bench.Dataset;

/// <summary>
/// One operation made ready on one server: <see cref="Repeat"/> does repetition i (the timed part), <see cref="After"/>
/// what must follow it untimed (leaving the channel after a join), and the sockets it opened are closed on disposal.
/// </summary>
internal sealed class OperationRun(Func<int, Task> repeat, Func<Task>? after = null, params ChatSocket[] sockets) : IAsyncDisposable
{
    public Func<int, Task> Repeat { get; } = repeat;

    public Func<Task>? After { get; } = after;

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }
    }
}
