using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>
/// N authenticated sockets, each joined to one of 100 channels, doing nothing: the server's RSS and managed
/// heap per connection, each read after a forced full GC. A first batch of sockets is opened before the
/// baseline is read, so that one-time costs (JIT, pools, threads) are not charged to connections.
/// </summary>
internal sealed class IdleScenario : IScenario
{
    private const int Channels = 100;
    private const int WarmupConnections = 200;

    public string Name => "idle";

    public bool Applies(ContenderKind kind) => !kind.IsStorageVariant();

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        var count = context.Options.IdleConnections;
        var perChannel = (count + WarmupConnections) / Channels;
        await using var contender = await context.StartAsync(kind);
        var server = contender.Process;
        await using var warmup = await ClientPool.OpenAsync(WarmupConnections, i => context.CreateClient(kind, server, count + i, Channels, perChannel), null, 32, TimeSpan.FromSeconds(60), stopOnFailures: false);
        await BenchContext.SettleAsync(server);
        var before = await server.ProbeAsync();
        await using var pool = await ClientPool.OpenAsync(count, i => context.CreateClient(kind, server, i, Channels, perChannel), null, 64, TimeSpan.FromSeconds(120), stopOnFailures: false);
        await BenchContext.SettleAsync(server);
        await Task.Delay(1000);
        var after = await server.ProbeAsync();
        var open = pool.OpenCount;
        var valid = open == count && warmup.OpenCount == WarmupConnections;
        var note = valid ? null : $"{open} of {count} open ({pool.FirstError})";
        context.Results.Add("idle.rss", kind, (after.RssBytes - before.RssBytes) / 1024.0 / Math.Max(1, open), valid, note);
        context.Results.Add("idle.heap", kind, (after.HeapBytes - before.HeapBytes) / 1024.0 / Math.Max(1, open), valid, note);
        BenchContext.Log(FormattableString.Invariant(
            $"  idle {kind.Label()}: {open} open; RSS {before.RssBytes / 1048576.0:0.0} → {after.RssBytes / 1048576.0:0.0} MB, heap {before.HeapBytes / 1048576.0:0.0} → {after.HeapBytes / 1048576.0:0.0} MB"));
    }
}
