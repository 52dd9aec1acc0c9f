using System.Diagnostics.Metrics;

namespace Parley.Server.Operations;

/// <summary>
/// Parley's own instruments, on the meter <see cref="MeterName"/> made by the platform's <see cref="IMeterFactory"/>
/// and exported at <c>/metrics</c> by OpenTelemetry (dots become underscores there, counters get <c>_total</c> and
/// the histogram <c>_seconds</c>; docs/operations.md lists the exported names). With no listener an instrument
/// costs a branch; with one, a measurement costs a dispatch, so the count bumped per queued frame is a plain striped
/// counter that the meter observes when it collects.
/// </summary>
public sealed class ParleyMetrics
{
    public const string MeterName = "Parley";

    /// <summary>Bucket bounds of the commit duration, in seconds: a group commit takes from tens of µs (SQLite, NORMAL) to tens of ms (fsync, network).</summary>
    private static readonly double[] CommitBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Counter<long> _messagesPersisted;
    private readonly StripedCounter _deliveries = new();
    private readonly UpDownCounter<long> _socketsOpen;
    private readonly Counter<long> _socketsOpened;
    private readonly Counter<long> _slowClientCloses;
    private readonly Counter<long> _handlerFailures;
    private readonly Histogram<double> _storeCommitDuration;
    private readonly Counter<long> _busFailures;
    private readonly Counter<long> _busReceived;
    private long _handlerFailureCount;

    public ParleyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesPersisted = meter.CreateCounter<long>("parley.messages.persisted", "{message}", "Messages stored (a repeated clientMsgId is not counted again).");
        // Observed at collection rather than counted through the instrument: it is bumped once per frame per socket.
        meter.CreateObservableCounter("parley.deliveries", () => _deliveries.Total, "{frame}", "Frames queued to sockets on this node (messages, events, answers).");
        _socketsOpen = meter.CreateUpDownCounter<long>("parley.sockets.open", "{socket}", "Open authenticated WebSockets on this node, by protocol.");
        _socketsOpened = meter.CreateCounter<long>("parley.sockets.opened", "{socket}", "WebSockets accepted and authenticated since start, by protocol.");
        _slowClientCloses = meter.CreateCounter<long>("parley.slow_client.closes", "{socket}", "Sockets disconnected (4008) because the client fell too far behind.");
        _handlerFailures = meter.CreateCounter<long>("parley.socket.handler_failures", "{frame}", "Client frames whose handler failed unexpectedly (each is a bug).");
        _storeCommitDuration = meter.CreateHistogram<double>(
            "parley.store.commit.duration", "s", "Time from handing a message to the store until it is durably committed.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _busReceived = meter.CreateCounter<long>("parley.bus.received", "{event}", "Events this node received from other nodes over the bus (only those it serves sockets for).");
        _busFailures = meter.CreateCounter<long>("parley.bus.failures", "{event}", "Bus events that could not be published or decoded, by operation.");
    }

    /// <summary>Handler failures since start, read by the tests that fuzz the sockets.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailureCount);

    /// <summary>A message append returned from the store: durable, or found to be a repeat of a stored one.</summary>
    public void StoreCommitted(TimeSpan duration) => _storeCommitDuration.Record(duration.TotalSeconds);

    public void MessagePersisted() => _messagesPersisted.Add(1);

    public void BusReceived() => _busReceived.Add(1);

    public void FrameQueued() => _deliveries.Increment();

    public void SocketOpened(string protocol)
    {
        var tag = new KeyValuePair<string, object?>("protocol", protocol);
        _socketsOpen.Add(1, tag);
        _socketsOpened.Add(1, tag);
    }

    public void SocketClosed(string protocol) => _socketsOpen.Add(-1, new KeyValuePair<string, object?>("protocol", protocol));

    public void SlowClientClosed() => _slowClientCloses.Add(1);

    public void HandlerFailed()
    {
        Interlocked.Increment(ref _handlerFailureCount);
        _handlerFailures.Add(1);
    }

    /// <param name="operation"><c>publish</c> or <c>decode</c>.</param>
    public void BusFailed(string operation) => _busFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
