namespace Parley.Bench.Results;

/// <summary>A row of the table: what is measured, in which unit, and which way is better.</summary>
internal sealed record FigureSpec(string Key, string Label, string Unit, bool HigherIsBetter, string Format)
{
    public static readonly FigureSpec[] All =
    [
        new("idle.rss", "idle: server RSS per connection", "KB", false, "0.0"),
        new("idle.heap", "idle: managed heap per connection", "KB", false, "0.0"),
        new("fanout1.rate", "fan-out 1×500: delivered messages/s", "msg/s", true, "#,0"),
        new("fanout1.cpu", "fan-out 1×500: server CPU-ms per 1,000 deliveries", "ms", false, "0.00"),
        new("fanout1.server", "fan-out 1×500: server CPU busy", "%", false, "0"),
        new("fanout1.serverdemand", "fan-out 1×500: server CPU demand (busy + run-queue wait)", "%", false, "0"),
        new("fanout1.generator", "fan-out 1×500: generator CPU busy", "%", false, "0"),
        new("fanout1.generatordemand", "fan-out 1×500: generator CPU demand", "%", false, "0"),
        new("fanout1.delay", "fan-out 1×500: mean scheduling delay per wake-up (larger of the two)", "ms", false, "0.00"),
        new("fanout1s.rate", "fan-out 1×500, one sender with 32 in flight: delivered messages/s", "msg/s", true, "#,0"),
        new("fanout1s.cpu", "fan-out 1×500, one sender: server CPU-ms per 1,000 deliveries", "ms", false, "0.00"),
        new("fanout1s.server", "fan-out 1×500, one sender: server CPU busy", "%", false, "0"),
        new("fanout1s.serverdemand", "fan-out 1×500, one sender: server CPU demand", "%", false, "0"),
        new("fanout1s.generator", "fan-out 1×500, one sender: generator CPU busy", "%", false, "0"),
        new("fanout1s.generatordemand", "fan-out 1×500, one sender: generator CPU demand", "%", false, "0"),
        new("fanout1s.delay", "fan-out 1×500, one sender: mean scheduling delay per wake-up", "ms", false, "0.00"),
        new("fanout100.rate", "fan-out 100×100: delivered messages/s", "msg/s", true, "#,0"),
        new("fanout100.cpu", "fan-out 100×100: server CPU-ms per 1,000 deliveries", "ms", false, "0.00"),
        new("fanout100.server", "fan-out 100×100: server CPU busy", "%", false, "0"),
        new("fanout100.serverdemand", "fan-out 100×100: server CPU demand", "%", false, "0"),
        new("fanout100.generator", "fan-out 100×100: generator CPU busy", "%", false, "0"),
        new("fanout100.generatordemand", "fan-out 100×100: generator CPU demand", "%", false, "0"),
        new("fanout100.delay", "fan-out 100×100: mean scheduling delay per wake-up", "ms", false, "0.00"),
        new("latency.p50", "latency at 50,000 deliveries/s: p50", "ms", false, "0.00"),
        new("latency.p99", "latency at 50,000 deliveries/s: p99", "ms", false, "0.00"),
        new("latency.p999", "latency at 50,000 deliveries/s: p99.9", "ms", false, "0.00"),
        new("latency.max", "latency at 50,000 deliveries/s: max", "ms", false, "0.00"),
        new("latency.rate", "latency: achieved deliveries/s", "msg/s", true, "#,0"),
        new("latency.generator", "latency: generator CPU busy", "%", false, "0"),
        new("latency.generatordemand", "latency: generator CPU demand", "%", false, "0"),
        new("latency.delay", "latency: mean scheduling delay per wake-up (server or generator, the larger)", "ms", false, "0.00"),
        new("latency.foreign", "latency: foreign CPU on the benchmark cores (other processes)", "cores", false, "0.00"),
        new("store.ceiling", "storage ceiling: SQLite rows/s, plain loop, 100 per transaction, FULL (no sockets)", "rows/s", true, "#,0"),
        new("store.w1.rate", "persistence 100×1, window 1: echoed (persisted) messages/s", "msg/s", true, "#,0"),
        new("store.w1.p99", "persistence window 1: p99 send-to-echo", "ms", false, "0.0"),
        new("store.w1.cpu", "persistence window 1: server CPU-ms per 1,000 messages", "ms", false, "0.0"),
        new("store.w8.rate", "persistence 100×1, window 8: echoed (persisted) messages/s", "msg/s", true, "#,0"),
        new("store.w8.p99", "persistence window 8: p99 send-to-echo", "ms", false, "0.0"),
        new("store.w8.cpu", "persistence window 8: server CPU-ms per 1,000 messages", "ms", false, "0.0"),
        new("persist.rate", "persistence 100×1 open loop: highest sustained messages/s (p99 echo < 100 ms)", "msg/s", true, "#,0"),
        new("persist.p99", "persistence: p99 send-to-echo at that rate", "ms", false, "0.0"),
        new("persist.p99at10k", "persistence: p99 send-to-echo at 10,000 messages/s", "ms", false, "0.0"),
        new("persist.generator", "persistence: generator CPU demand at the first failing step", "%", false, "0"),
        new("persist.delay", "persistence: mean scheduling delay at the first failing step", "ms", false, "0.00"),
        new("persist.foreign", "persistence: foreign CPU at the first failing step", "cores", false, "0.00"),
        new("scale.held", "scale: concurrent idle connections held", "conns", true, "#,0"),
        new("scale.rss", "scale: server RSS at that count", "MB", false, "#,0"),
        new("scale.perconn", "scale: server RSS per connection", "KB", false, "0.0"),
    ];

    public static FigureSpec Get(string key) => All.First(f => f.Key == key);
}
