using Parley.Bench.Clients;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Storage in isolation, closed loop: 100 channels, one sender each and no other subscriber, each sender
/// keeping <paramref name="window"/> messages in flight (the next one leaves when an echo arrives). Figures:
/// echoed messages/s over the measured window (for Parley: persisted before the echo, <c>synchronous=FULL</c>)
/// and the p99 send-to-echo of the messages sent in that window.
/// </summary>
internal sealed class StorageWindowScenario(int window) : IScenario
{
    private const int Channels = 100;
    private const int MaxMessages = 2_000_000;

    public string Name => "persistence";

    public bool Applies(ContenderKind kind) => kind != ContenderKind.ParleyNormal;

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        var key = $"store.w{window}";
        await using var contender = await context.StartAsync(kind);
        var server = contender.Process;
        WindowedSender? sink = null;
        LatencyRecorder? recorder = null;
        var forward = new ForwardingSink(() => sink);
        var measured = new ForwardingSink(() => recorder);
        await using var pool = await ClientPool.OpenAsync(Channels, i => context.CreateClient(kind, server, i, Channels, 1),
            new TeeSink(forward, measured), 64, TimeSpan.FromSeconds(120), stopOnFailures: false);
        if (pool.OpenCount != Channels)
        {
            context.Results.Add($"{key}.rate", kind, double.NaN, false, $"only {pool.OpenCount} of {Channels} sockets opened ({pool.FirstError})");
            return;
        }
        var senders = pool.Clients.OrderBy(c => c.Index).Select(c => new[] { c }).ToArray();
        sink = new WindowedSender(1, senders, MaxMessages);
        await BenchContext.SettleAsync(server);

        sink.Start(window);
        await Task.Delay(TimeSpan.FromSeconds(context.Options.WarmupSeconds));
        recorder = new LatencyRecorder(sink.Sent, MaxMessages);
        var start = Results.UsageSnapshot.Take(server);
        var delivered0 = sink.Delivered;
        await Task.Delay(TimeSpan.FromSeconds(context.Options.MeasureSeconds));
        var end = Results.UsageSnapshot.Take(server);
        var delivered = sink.Delivered - delivered0;
        sink.Stop();
        await sink.DrainAsync(TimeSpan.FromSeconds(10));
        var usage = start.Until(end);
        var p = recorder.Percentiles();
        var problems = new List<string>();
        if (delivered == 0)
        {
            problems.Add("nothing echoed in the measured window");
        }
        if (sink.Incomplete() > 0 || sink.SendFailures > 0)
        {
            problems.Add($"{sink.Incomplete()} messages not echoed, {sink.SendFailures} failed sends");
        }
        if (usage.GeneratorBound)
        {
            problems.Add($"generator-bound ({usage.GeneratorDemand:P0} demand)");
        }
        var valid = problems.Count == 0;
        var note = valid ? null : string.Join("; ", problems);
        BenchContext.Log(FormattableString.Invariant(
            $"    {kind.Label()} window {window}: {delivered / usage.Seconds:#,0}/s, p99 {p.P99:0.0} ms, {usage.Describe()}"));
        context.Results.Add($"{key}.rate", kind, delivered / usage.Seconds, valid, note);
        context.Results.Add($"{key}.p99", kind, p.P99, valid, note);
        context.Results.Add($"{key}.cpu", kind, delivered == 0 ? double.NaN : usage.ServerCpuMilliseconds / delivered * 1000, valid, note);
    }
}
