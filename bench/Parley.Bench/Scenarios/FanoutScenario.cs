using Parley.Bench.Clients;
using Parley.Bench.Results;

namespace Parley.Bench.Scenarios;

/// <summary>
/// <paramref name="channels"/> channels × <paramref name="subscribers"/> subscribers; a few subscribers per
/// channel send, keeping a fixed window of messages in flight. Figures: delivered messages/s and server
/// CPU-ms per 1,000 deliveries over the measured window, with both processes' busy fractions; valid only
/// when the server is saturated, the generator is not, and every delivery arrived.
/// </summary>
internal sealed class FanoutScenario(string key, int channels, int subscribers, int sendersPerChannel, int windowPerChannel) : IScenario
{
    private const int MaxMessages = 500_000;

    public string Name => "fanout";

    public bool Applies(ContenderKind kind) => !kind.IsStorageVariant();

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        await using var contender = await context.StartAsync(kind);
        var server = contender.Process;
        var senders = new IBenchClient[channels][];
        WindowedSender? sink = null;
        // The sink needs the senders, which exist only once the pool is open: route deliveries through a forwarder.
        var forward = new ForwardingSink(() => sink);
        await using var pool = await ClientPool.OpenAsync(channels * subscribers, i => context.CreateClient(kind, server, i, channels, subscribers), forward, 64, TimeSpan.FromSeconds(120), stopOnFailures: false);
        if (pool.OpenCount != channels * subscribers)
        {
            Fail(context, kind, $"only {pool.OpenCount} of {channels * subscribers} sockets opened ({pool.FirstError})");
            return;
        }
        var byIndex = pool.Clients.OrderBy(c => c.Index).ToArray();
        for (var c = 0; c < channels; c++)
        {
            senders[c] = [.. Enumerable.Range(0, sendersPerChannel).Select(row => byIndex[(row * channels) + c])];
        }
        sink = new WindowedSender(subscribers, senders, MaxMessages);
        await BenchContext.SettleAsync(server);

        sink.Start(windowPerChannel);
        await Task.Delay(TimeSpan.FromSeconds(context.Options.WarmupSeconds));
        var start = UsageSnapshot.Take(server);
        var delivered0 = sink.Delivered;
        await Task.Delay(TimeSpan.FromSeconds(context.Options.MeasureSeconds));
        var end = UsageSnapshot.Take(server);
        var delivered = sink.Delivered - delivered0;
        sink.Stop();
        await sink.DrainAsync(TimeSpan.FromSeconds(10));

        var usage = start.Until(end);
        var incomplete = sink.Incomplete();
        var closed = pool.Clients.Count(c => !c.IsOpen);
        var problems = new List<string>();
        if (!usage.ServerBound)
        {
            problems.Add($"server not saturated ({usage.ServerDemand:P0} demand)");
        }
        if (usage.GeneratorBound)
        {
            problems.Add($"generator-bound ({usage.GeneratorDemand:P0} demand)");
        }
        if (delivered == 0)
        {
            problems.Add("nothing delivered in the measured window");
        }
        if (incomplete > 0 || closed > 0 || sink.SendFailures > 0)
        {
            problems.Add($"{incomplete} messages not fully delivered, {closed} sockets closed, {sink.SendFailures} failed sends");
        }
        var valid = problems.Count == 0;
        var note = valid ? null : string.Join("; ", problems);
        context.Results.Add($"{key}.rate", kind, delivered / usage.Seconds, valid, note);
        context.Results.Add($"{key}.cpu", kind, delivered == 0 ? double.NaN : usage.ServerCpuMilliseconds / delivered * 1000, valid, note);
        context.Results.Add($"{key}.server", kind, usage.ServerBusy * 100);
        context.Results.Add($"{key}.serverdemand", kind, usage.ServerDemand * 100);
        context.Results.Add($"{key}.generator", kind, usage.GeneratorBusy * 100);
        context.Results.Add($"{key}.generatordemand", kind, usage.GeneratorDemand * 100);
        context.Results.Add($"{key}.delay", kind, Math.Max(usage.ServerDelayMilliseconds, usage.GeneratorDelayMilliseconds));
        BenchContext.Log(FormattableString.Invariant(
            $"  {key} {kind.Label()}: {delivered / usage.Seconds:#,0} deliveries/s, {usage.ServerCpuMilliseconds / Math.Max(1, delivered) * 1000:0.00} CPU-ms/1000, {usage.Describe()}{(valid ? "" : " — " + note)}"));
    }

    private void Fail(BenchContext context, ContenderKind kind, string why)
    {
        context.Results.Add($"{key}.rate", kind, double.NaN, false, why);
        context.Results.Add($"{key}.cpu", kind, double.NaN, false, why);
        BenchContext.Log($"  {key} {kind.Label()}: FAILED: {why}");
    }
}
