namespace Parley.Bench.Clients;

/// <summary>
/// The sockets of one scenario: opened with bounded concurrency and a time limit, each receiving in its own
/// loop; pinged every 10 s when the dialect needs it (from the first open on, since opening 100,000 sockets
/// takes longer than SignalR's 30 s client timeout); aborted all at once at the end.
/// </summary>
internal sealed class ClientPool : IAsyncDisposable
{
    private readonly List<IBenchClient> _clients = [];
    private readonly List<Task> _receivers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pinger;
    private int _failures;

    private ClientPool() => _pinger = PingAsync();

    public IReadOnlyList<IBenchClient> Clients
    {
        get
        {
            lock (_clients)
            {
                return [.. _clients];
            }
        }
    }

    public int Failures => _failures;

    public string? FirstError { get; private set; }

    public int OpenCount => Clients.Count(c => c.IsOpen);

    /// <summary>
    /// Opens <paramref name="count"/> clients made by <paramref name="create"/>, in index order as far as
    /// concurrency allows. Stops early at the time limit, or, with <paramref name="stopOnFailures"/>, once
    /// failures pass 1% of attempts (at least 50).
    /// </summary>
    public static async Task<ClientPool> OpenAsync(
        int count, Func<int, IBenchClient> create, IDeliverySink? sink, int concurrency, TimeSpan timeLimit, bool stopOnFailures, Action<int>? progress = null)
    {
        var pool = new ClientPool();
        using var deadline = new CancellationTokenSource(timeLimit);
        var attempted = 0;
        var opened = 0;
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline.Token }, async (i, ct) =>
            {
                var client = create(i);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                Interlocked.Increment(ref attempted);
                try
                {
                    await client.OpenAsync(timeout.Token);
                    var receiver = client.ReceiveAsync(sink);
                    lock (pool._clients)
                    {
                        pool._clients.Add(client);
                        pool._receivers.Add(receiver);
                    }
                    if (Interlocked.Increment(ref opened) % 10_000 == 0)
                    {
                        progress?.Invoke(opened);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    client.Abort();
                    var failures = Interlocked.Increment(ref pool._failures);
                    lock (pool._clients)
                    {
                        pool.FirstError ??= $"client {i}: {ex.GetType().Name}: {ex.Message}";
                    }
                    if (stopOnFailures && failures >= Math.Max(50, Volatile.Read(ref attempted) / 100))
                    {
                        await deadline.CancelAsync();
                    }
                }
            });
        }
        catch (OperationCanceledException)
        {
            // Time limit or too many failures: keep what opened.
        }
        return pool;
    }

    private async Task PingAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                foreach (var client in Clients)
                {
                    _stop.Token.ThrowIfCancellationRequested();
                    await client.PingAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pinger;
        Task[] receivers;
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Abort();
            }
            receivers = [.. _receivers];
        }
        await Task.WhenAny(Task.WhenAll(receivers), Task.Delay(TimeSpan.FromSeconds(10)));
        _stop.Dispose();
    }
}
