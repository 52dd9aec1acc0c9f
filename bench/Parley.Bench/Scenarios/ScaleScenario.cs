using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Opens idle sockets (authenticated and joined, as in the idle scenario) from 32 loopback source addresses
/// until the target is reached, failures pass 1%, or the time limit; holds them 3 s and counts those still
/// open, with the server's RSS. The target bounds the run; the figure says whether it was reached.
/// </summary>
internal sealed class ScaleScenario : IScenario
{
    private const int Channels = 100;

    public string Name => "scale";

    public bool Applies(ContenderKind kind) => !kind.IsStorageVariant();

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        // Each socket is a descriptor in the server and one in the generator: past the open-file limit (which
        // only a privileged process can raise) the count measures the limit, not the server.
        var limit = (int)Math.Min(int.MaxValue, context.Options.FileLimit - Math.Min(context.Options.FileLimit, 1_000));
        var target = Math.Min(context.Options.ScaleTarget, limit);
        var capped = target < context.Options.ScaleTarget;
        await using var contender = await context.StartAsync(kind);
        var server = contender.Process;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // The SignalR protocol spoken by the generator's own client here too: 100,000 HubConnections would measure the client library's memory, not the server.
        await using var pool = await ClientPool.OpenAsync(target, i => context.CreateClient(kind, server, i, Channels, target / Channels, forceRaw: true), null, 128,
            TimeSpan.FromSeconds(context.Options.Quick ? 120 : 180), stopOnFailures: true,
            progress: n => BenchContext.Log(FormattableString.Invariant($"    {kind.Label()}: {n:#,0} open, server RSS {server.RssBytes() / 1048576.0:#,0} MB")));
        var openSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Delay(3000);
        var held = pool.OpenCount;
        var rss = server.RssBytes();
        var reached = held >= target;
        var note = reached ? null : $"held {held:#,0} of {target:#,0}: {pool.FirstError ?? "closed while held"}";
        if (capped)
        {
            note = $"target capped at {target:#,0} by the open-file limit ({context.Options.FileLimit:#,0}, not raisable here)" + (note is null ? "" : "; " + note);
        }
        context.Results.Add("scale.held", kind, held, reached && !capped, note);
        context.Results.Add("scale.rss", kind, rss / 1048576.0, reached, note);
        context.Results.Add("scale.perconn", kind, rss / 1024.0 / Math.Max(1, held), reached, note);
        BenchContext.Log(FormattableString.Invariant(
            $"  scale {kind.Label()}: {held:#,0} held (opened in {openSeconds:0.0} s), server RSS {rss / 1048576.0:#,0} MB{(note is null ? "" : " — " + note)}"));
    }
}
