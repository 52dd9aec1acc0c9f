using System.Diagnostics;
using Parley.Bench.Clients;
using Parley.Bench.Results;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Storage in isolation, open loop: 100 channels, one sender per channel and no other subscriber: the offered rate steps up
/// until a step fails (p99 send-to-echo at or over 100 ms, or not every message echoed). The figure is the
/// highest rate that passed: for Parley, messages persisted to SQLite (persist, then publish) per second.
/// Each step is bounded by its message count and by time.
/// </summary>
internal sealed class PersistenceScenario : IScenario
{
    private const int Channels = 100;
    private const int Subscribers = 1;
    private const double P99LimitMs = 100;
    // Sent before the first judged step, unjudged: the first messages run every contender's send path through
    // the JIT, which otherwise lands in (and can fail) the 1,000/s step.
    private const int WarmupRate = 500;
    private static readonly int[] Rates = [1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000, 60_000];

    public string Name => "persistence";

    public bool Applies(ContenderKind kind) => true;

    public async Task RunAsync(BenchContext context, ContenderKind kind)
    {
        var stepSeconds = context.Options.Quick ? 1.5 : 2.0;
        var warmupSeconds = 2 * context.Options.WarmupSeconds;
        var totalMessages = (int)(WarmupRate * warmupSeconds) + Rates.Sum(r => (int)(r * stepSeconds));
        var senderOf = new int[totalMessages];
        var recorders = new LatencyRecorder?[1];
        var forward = new ForwardingSink(() => recorders[0]);
        await using var contender = await context.StartAsync(kind);
        var server = contender.Process;
        await using var pool = await ClientPool.OpenAsync(Channels * Subscribers, i => context.CreateClient(kind, server, i, Channels, Subscribers), forward, 64, TimeSpan.FromSeconds(120), stopOnFailures: false);
        if (pool.OpenCount != Channels * Subscribers)
        {
            Record(context, kind, double.NaN, double.NaN, double.NaN, $"only {pool.OpenCount} sockets opened ({pool.FirstError})");
            return;
        }
        // Client index c (row 0) is channel c's sender.
        var senders = pool.Clients.OrderBy(c => c.Index).Take(Channels).ToArray();
        await BenchContext.SettleAsync(server);

        var nextId = 0;
        var best = (Rate: 0.0, P99: double.NaN);
        string? failure = null;
        Usage failingUsage = default;
        foreach (var (rate, isWarmup) in Rates.Select(r => (r, false)).Prepend((WarmupRate, true)))
        {
            var seconds = isWarmup ? warmupSeconds : stepSeconds;
            var count = (int)(rate * seconds);
            var firstId = nextId;
            var recorder = new LatencyRecorder(firstId, count, senderOf);
            recorders[0] = recorder;
            var failures = 0;
            var start = UsageSnapshot.Take(server);
            var started = Stopwatch.GetTimestamp();
            var sent = 0;
            // Every 2 ms, send what is due by now, round robin over the senders; stop at the count or at twice the step's time.
            while (sent < count && Stopwatch.GetElapsedTime(started).TotalSeconds < seconds * 2)
            {
                var due = Math.Min(count, (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate));
                for (; sent < due; sent++)
                {
                    var id = nextId++;
                    var sender = senders[id % Channels];
                    senderOf[id] = sender.Index;
                    _ = SendAsync(sender, id, () => Interlocked.Increment(ref failures));
                }
                await Task.Delay(2);
            }
            var deadline = DateTime.UtcNow.AddSeconds(2);
            while (recorder.Count < sent && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
            var usage = start.Until(UsageSnapshot.Take(server));
            var p = recorder.Percentiles();
            if (isWarmup)
            {
                BenchContext.Log(FormattableString.Invariant(
                    $"    {kind.Label()} warm-up {rate:#,0}/s (not judged): {recorder.Count}/{count} echoed, p99 {p.P99:0.0} ms"));
                await Task.Delay(300);
                continue;
            }
            var passed = sent == count && recorder.Count == count && failures == 0 && p.P99 < P99LimitMs;
            if (rate == 10_000)
            {
                context.Results.Add("persist.p99at10k", kind, recorder.Count == count ? p.P99 : double.NaN);
            }
            BenchContext.Log(FormattableString.Invariant(
                $"    {kind.Label()} step {rate:#,0}/s: {recorder.Count}/{count} echoed, p99 {p.P99:0.0} ms, {usage.Describe()}{(passed ? "" : " — fails")}"));
            if (!passed)
            {
                failure = FormattableString.Invariant($"{rate:#,0}/s failed: {recorder.Count}/{count} echoed (sent {sent}), p99 {p.P99:0.0} ms");
                failingUsage = usage;
                break;
            }
            best = (rate, p.P99);
            await Task.Delay(300);
        }
        recorders[0] = null;
        // Valid when the step that failed failed because of the server: not because the generator was
        // saturated, nor because other processes took CPU on the benchmark's cores.
        var valid = failure is null || (!failingUsage.GeneratorBound && !failingUsage.Contended);
        var note = failure is null
            ? "every step passed: the figure is the top of the range"
            : failingUsage.GeneratorBound ? $"generator-bound at the failing step ({failingUsage.GeneratorDemand:P0} demand); {failure}"
            : failingUsage.Contended ? $"{failingUsage.DescribeContention()} at the failing step; {failure}"
            : failure;
        Record(context, kind, best.Rate, best.P99, failingUsage.GeneratorDemand * 100, note, valid);
        context.Results.Add("persist.delay", kind, Math.Max(failingUsage.ServerDelayMilliseconds, failingUsage.GeneratorDelayMilliseconds));
        context.Results.Add("persist.foreign", kind, failingUsage.ForeignCpu);
    }

    private static async Task SendAsync(IBenchClient sender, long id, Action onFailure)
    {
        try
        {
            await sender.SendAsync(id);
        }
        catch (Exception)
        {
            onFailure();
        }
    }

    private static void Record(BenchContext context, ContenderKind kind, double rate, double p99, double generatorBusy, string? note, bool valid = false)
    {
        context.Results.Add("persist.rate", kind, rate, valid, note);
        context.Results.Add("persist.p99", kind, p99, valid, note);
        context.Results.Add("persist.generator", kind, generatorBusy);
        BenchContext.Log(FormattableString.Invariant($"  persistence {kind.Label()}: {rate:#,0} msg/s sustained (p99 {p99:0.0} ms){(note is null ? "" : " — " + note)}"));
    }
}
