using Parley.Bench.Clients;
using Parley.Bench.Results;

namespace Parley.Bench.Scenarios;

/// <summary>
/// 1 channel × 500 subscribers at a fixed 50,000 deliveries/s (100 messages/s from 10 senders, open loop:
/// each message goes out at its scheduled time whatever came back). Every delivery's end-to-end latency is
/// recorded after a warm-up; valid when all arrived, the generator was not saturated and other processes
/// took no more than <see cref="Usage.ContendedForeignCpu"/> of the benchmark's cores.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    private const int Subscribers = 500;
    private const int Senders = 10;
    private const int DeliveriesPerSecond = 50_000;
    private const int MessagesPerSecond = DeliveriesPerSecond / Subscribers;

    public string Name => "latency";

    public bool Applies(ContenderKind kind) => kind != ContenderKind.ParleyPostgres;

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        var warmupMessages = (int)(MessagesPerSecond * context.Options.WarmupSeconds);
        var measuredSeconds = context.Options.Quick ? 3 : 5;
        var total = warmupMessages + (MessagesPerSecond * measuredSeconds);
        var recorder = new LatencyRecorder(warmupMessages, (total - warmupMessages) * Subscribers);
        await using var contender = await context.StartAsync(kind);
        var server = contender.Process;
        await using var pool = await ClientPool.OpenAsync(Subscribers, i => context.CreateClient(kind, server, i, 1, Subscribers), recorder, 64, TimeSpan.FromSeconds(120), stopOnFailures: false);
        if (pool.OpenCount != Subscribers)
        {
            Record(context, kind, (double.NaN, double.NaN, double.NaN, double.NaN), double.NaN, default, $"only {pool.OpenCount} sockets opened ({pool.FirstError})");
            return;
        }
        var senders = pool.Clients.OrderBy(c => c.Index).Take(Senders).ToArray();
        await BenchContext.SettleAsync(server);

        var interval = TimeSpan.FromSeconds(1.0 / MessagesPerSecond);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        UsageSnapshot? measureStart = null;
        var failures = 0;
        for (var n = 0; n < total; n++)
        {
            if (n == warmupMessages)
            {
                measureStart = UsageSnapshot.Take(server);
            }
            var wait = (interval * n) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (wait >= TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var id = n;
            _ = Task.Run(async () =>
            {
                try
                {
                    await senders[id % Senders].SendAsync(id);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            });
        }
        var expected = (long)(total - warmupMessages) * Subscribers;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (recorder.Count < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var usage = measureStart!.Value.Until(UsageSnapshot.Take(server));
        var problems = new List<string>();
        if (recorder.Count < expected || failures > 0)
        {
            problems.Add($"{expected - recorder.Count} of {expected} deliveries missing, {failures} failed sends");
        }
        if (usage.Contended)
        {
            problems.Add(usage.DescribeContention());
        }
        if (usage.GeneratorBound)
        {
            problems.Add($"generator-bound ({usage.GeneratorDemand:P0} demand)");
        }
        Record(context, kind, recorder.Percentiles(), recorder.Count / usage.Seconds, usage, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private static void Record(BenchContext context, ContenderKind kind, (double P50, double P99, double P999, double Max) p, double rate, Usage usage, string? problem)
    {
        var valid = problem is null;
        context.Results.Add("latency.p50", kind, p.P50, valid, problem);
        context.Results.Add("latency.p99", kind, p.P99, valid, problem);
        context.Results.Add("latency.p999", kind, p.P999, valid, problem);
        context.Results.Add("latency.max", kind, p.Max, valid, problem);
        context.Results.Add("latency.rate", kind, rate, valid, problem);
        context.Results.Add("latency.generator", kind, usage.GeneratorBusy * 100);
        context.Results.Add("latency.generatordemand", kind, usage.GeneratorDemand * 100);
        context.Results.Add("latency.delay", kind, Math.Max(usage.ServerDelayMilliseconds, usage.GeneratorDelayMilliseconds));
        context.Results.Add("latency.foreign", kind, usage.ForeignCpu);
        BenchContext.Log(FormattableString.Invariant(
            $"  latency {kind.Label()}: p50 {p.P50:0.00} p99 {p.P99:0.00} p99.9 {p.P999:0.00} max {p.Max:0.00} ms at {rate:#,0}/s, {usage.Describe()}{(valid ? "" : " — " + problem)}"));
    }
}
