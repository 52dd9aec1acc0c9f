namespace Parley.Bench.Results;

/// <summary>
/// A figure of the data-set scenario, measured on both databases of a store: <c>PREFIX.empty.STEM</c> and
/// <c>PREFIX.big.STEM</c> (the prefix names the store, <see cref="Dataset.IDatasetStore.KeyPrefix"/>).
/// <see cref="MaxRatio"/> is the target for big ÷ empty (none for figures only shown).
/// </summary>
internal sealed record DatasetFigure(string Stem, string Label, string Unit, string Format, double? MaxRatio)
{
    /// <summary>The scale of the big database, recorded once per repeat: its presence says the store was measured.</summary>
    public static string ScaleKey(string prefix) => prefix + ".scale";

    /// <summary>Foreign CPU during each measured operation (one observation per operation and repeat): how contended the machine was.</summary>
    public const string ForeignStem = "foreign";

    /// <summary>Issue 16: every figure within 2× of the empty database's, RSS within 1.5×.</summary>
    public static readonly DatasetFigure[] All =
    [
        new("startup", "server start-up: process start to /healthz/ready 200", "ms", "#,0", 2),
        new("rss", "server RSS after start-up (after a full GC)", "MB", "0.0", 1.5),
        new("heap", "managed heap after start-up (after a full GC)", "MB", "0.0", null),
        .. Latency("unread", "unread count of the big channel (GET /api/channels/:id/unread, its owner)"),
        .. Latency("history", "history page from the middle of the big channel (GET …/messages?before=…&limit=50)"),
        .. Latency("conversations", "conversation list of the user with the DMs (GET /api/messagepal/conversations)"),
        .. Latency("join", "join_channel with since 100 behind the end: to the last replayed message"),
        .. Latency("send", "send_message to its echo"),
        .. Latency("markread", "mark_read to message_read on the reader's other socket"),
    ];

    public string Key(string prefix, string database) => $"{prefix}.{database}.{Stem}";

    /// <summary>As a row of the main table's kind, for formatting a cell of one database.</summary>
    public FigureSpec Spec(string prefix, string database, string store) =>
        new(Key(prefix, database), $"data set ({store}, {database} database): {Label}", Unit, HigherIsBetter: false, Format);

    private static DatasetFigure[] Latency(string operation, string label) =>
    [
        new($"{operation}.p50", label + ": p50", "ms", "0.00", 2),
        new($"{operation}.p99", label + ": p99", "ms", "0.00", 2),
    ];
}
