using System.Globalization;
using System.Text;

namespace Parley.Bench.Results;

/// <summary>
/// The Markdown table: per figure and contender, the median over repeats with its min–max, Parley's ratios
/// to SignalR and to the Kestrel ceiling from the same run, a mark on figures with invalid repeats (and
/// why, below the table), and the targets of the issue with whether each is met.
/// </summary>
internal static class ReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Write(ResultBook book, IReadOnlyList<ContenderKind> contenders, string header)
    {
        var text = new StringBuilder();
        text.AppendLine(header).AppendLine();
        var hasNormal = contenders.Contains(ContenderKind.ParleyNormal);
        var notes = new List<(string Group, ContenderKind Contender, string Note)>();
        // A run of the data-set scenario alone has none of the contenders' figures: no empty table then.
        if (FigureSpec.All.Any(f => contenders.Any(c => book.Of(f.Key, c).Count > 0)))
        {
            WriteContenderTable(text, book, contenders, hasNormal, notes);
        }
        if (DatasetReportWriter.HasResults(book))
        {
            DatasetReportWriter.Write(text, book, notes);
        }
        if (notes.Count > 0)
        {
            // One line per contender and scenario: a reason usually invalidates every figure of its repeat.
            text.AppendLine().AppendLine("Marked ⚠n: n repeats of the figure were not valid, because:");
            foreach (var group in notes.GroupBy(n => (n.Group, n.Contender)))
            {
                text.Append("- ").Append(group.Key.Contender.Label()).Append(", ").Append(group.Key.Group).Append(": ")
                    .AppendLine(string.Join("; ", group.Select(n => n.Note).Distinct()));
            }
        }
        text.AppendLine().AppendLine("Targets (Parley, SQLite synchronous FULL unless said):").AppendLine();
        foreach (var line in Targets(book))
        {
            text.Append("- ").AppendLine(line);
        }
        return text.ToString();
    }

    private static void WriteContenderTable(
        StringBuilder text, ResultBook book, IReadOnlyList<ContenderKind> contenders, bool hasNormal, List<(string Group, ContenderKind Contender, string Note)> notes)
    {
        text.Append("| figure | unit |");
        foreach (var contender in contenders)
        {
            text.Append(' ').Append(contender.Label()).Append(" |");
        }
        text.AppendLine(hasNormal ? " Parley ÷ SignalR (NORMAL) | Parley ÷ Kestrel (NORMAL) |" : " Parley ÷ SignalR | Parley ÷ Kestrel |");
        text.Append("| --- | --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", contenders.Count + 2))).AppendLine();
        foreach (var figure in FigureSpec.All)
        {
            if (!contenders.Any(c => book.Of(figure.Key, c).Count > 0))
            {
                continue;
            }
            text.Append("| ").Append(figure.Label).Append(" | ").Append(figure.Unit).Append(" |");
            foreach (var contender in contenders)
            {
                text.Append(' ').Append(Cell(book, figure, contender, notes)).Append(" |");
            }
            text.Append(' ').Append(Ratios(book, figure, ContenderKind.SignalR, hasNormal)).Append(" |");
            text.Append(' ').Append(Ratios(book, figure, ContenderKind.Kestrel, hasNormal)).Append(" |");
            text.AppendLine();
        }
    }

    /// <summary>A figure's median with its min–max, and ⚠ when repeats were invalid (their reasons go to <paramref name="notes"/>).</summary>
    internal static string Cell(ResultBook book, FigureSpec figure, ContenderKind contender, List<(string Group, ContenderKind Contender, string Note)> notes)
    {
        var observations = book.Of(figure.Key, contender);
        if (observations.Count == 0)
        {
            return "–";
        }
        var values = observations.Select(o => o.Value).Where(v => !double.IsNaN(v)).ToArray();
        var median = book.Median(figure.Key, contender);
        var cell = median is null ? "failed" : Format(figure, median.Value);
        if (values.Length > 1)
        {
            cell += $" [{Format(figure, values.Min())}–{Format(figure, values.Max())}]";
        }
        var invalid = observations.Where(o => !o.Valid).ToArray();
        if (invalid.Length > 0)
        {
            cell += $" ⚠{invalid.Length}";
            var group = figure.Label.Split(':')[0];
            notes.AddRange(invalid.Select(o => (group, contender, o.Note ?? "not valid")));
        }
        return cell;
    }

    private static string Ratios(ResultBook book, FigureSpec figure, ContenderKind reference, bool hasNormal)
    {
        var full = Ratio(book, figure.Key, ContenderKind.Parley, reference);
        return hasNormal && book.Of(figure.Key, ContenderKind.ParleyNormal).Count > 0
            ? $"{full} ({Ratio(book, figure.Key, ContenderKind.ParleyNormal, reference)})"
            : full;
    }

    private static string Ratio(ResultBook book, string key, ContenderKind contender, ContenderKind reference) =>
        book.Median(key, contender) is { } value && book.Median(key, reference) is { } baseline && baseline != 0
            ? (value / baseline).ToString("0.00", Invariant) + "×"
            : "–";

    private static string Format(FigureSpec figure, double value) => value.ToString(figure.Format, Invariant);

    private static IEnumerable<string> Targets(ResultBook book)
    {
        double? Get(string key, ContenderKind kind = ContenderKind.Parley) => book.Median(key, kind);
        string Verdict(bool? met) => met switch { true => "**met**", false => "**not met**", null => "not measured" };
        string N(double? value, string format) => value?.ToString(format, Invariant) ?? "–";
        // Unmeasured stays unmeasured: a missing figure is not a missed target.
        bool? Holds(double? value, Func<double, bool> test) => value is { } measured && !double.IsNaN(measured) ? test(measured) : null;

        foreach (var (shape, label) in new[] { ("fanout1", "fan-out 1×500, 10 senders"), ("fanout1s", "fan-out 1×500, one sender with 32 in flight") })
        {
            var rate = Get($"{shape}.rate");
            var signalRRate = Get($"{shape}.rate", ContenderKind.SignalR);
            yield return $"{label}: delivered/s ≥ 1.2 × SignalR (first milestone ≥ 1.0×): {N(rate, "#,0")} vs {N(signalRRate, "#,0")} ({N(rate / signalRRate, "0.00")}×) — {Verdict(Holds(rate / signalRRate, r => r >= 1.2))} (milestone {Verdict(Holds(rate / signalRRate, r => r >= 1.0))})";
            var cpu = Get($"{shape}.cpu");
            var signalRCpu = Get($"{shape}.cpu", ContenderKind.SignalR);
            yield return $"{label}: CPU-ms per 1,000 deliveries ≤ 0.8 × SignalR (first milestone ≤ 1.0×): {N(cpu, "0.00")} vs {N(signalRCpu, "0.00")} ({N(cpu / signalRCpu, "0.00")}×) — {Verdict(Holds(cpu / signalRCpu, r => r <= 0.8))} (milestone {Verdict(Holds(cpu / signalRCpu, r => r <= 1.0))})";
        }
        var p99 = Get("latency.p99");
        var signalRP99 = Get("latency.p99", ContenderKind.SignalR);
        var kestrelP99 = Get("latency.p99", ContenderKind.Kestrel);
        yield return $"latency p99 at 50,000 deliveries/s ≤ 1.0 × bare Kestrel and ≤ 0.5 × SignalR: {N(p99, "0.00")} ms vs Kestrel {N(kestrelP99, "0.00")} ms ({N(p99 / kestrelP99, "0.00")}×) and SignalR {N(signalRP99, "0.00")} ms ({N(p99 / signalRP99, "0.00")}×) — {Verdict(Holds(p99 / kestrelP99, r => r <= 1.0) & Holds(p99 / signalRP99, r => r <= 0.5))}";
        var rss = Get("idle.rss");
        var kestrelRss = Get("idle.rss", ContenderKind.Kestrel);
        yield return $"idle memory per connection ≤ 1.0 × bare Kestrel: RSS {N(rss, "0.0")} KB vs {N(kestrelRss, "0.0")} KB ({N(rss / kestrelRss, "0.00")}×) — {Verdict(Holds(rss / kestrelRss, r => r <= 1.0))}";
        var ceiling = Get("store.ceiling");
        foreach (var window in new[] { 1, 8 })
        {
            var persisted = Get($"store.w{window}.rate");
            yield return $"persistence window {window} ≥ 20,000 persisted messages/s and ≥ 0.6 × the storage ceiling: {N(persisted, "#,0")}/s vs ceiling {N(ceiling, "#,0")} rows/s ({N(persisted / ceiling, "0.00")}×), p99 {N(Get($"store.w{window}.p99"), "0.0")} ms — {Verdict(Holds(persisted, r => r >= 20_000) & Holds(persisted / ceiling, r => r >= 0.6))}";
        }
        if (Get("store.w1.rate", ContenderKind.ParleyPostgres) is not null || Get("store.w8.rate", ContenderKind.ParleyPostgres) is not null)
        {
            var pg1 = Get("store.w1.rate", ContenderKind.ParleyPostgres);
            var pg8 = Get("store.w8.rate", ContenderKind.ParleyPostgres);
            yield return $"persistence on PostgreSQL (reported beside SQLite, no target): window 1 {N(pg1, "#,0")}/s ({N(pg1 / Get("store.w1.rate"), "0.00")}× SQLite), window 8 {N(pg8, "#,0")}/s ({N(pg8 / Get("store.w8.rate"), "0.00")}× SQLite), p99 {N(Get("store.w8.p99", ContenderKind.ParleyPostgres), "0.0")} ms; its CPU per message is Parley's alone, PostgreSQL's own processes are not counted";
        }
        var at10k = Get("persist.p99at10k");
        yield return $"persistence open loop: p99 send-to-echo under 50 ms at 10,000 messages/s: {N(at10k, "0.0")} ms (highest rate with p99 < 100 ms: {N(Get("persist.rate"), "#,0")}/s) — {Verdict(Holds(at10k, r => r < 50))}";
        var held = Get("scale.held");
        yield return $"scale ≥ 100,000 concurrent connections: {N(held, "#,0")} — {Verdict(Holds(held, r => r >= 100_000))}";
        foreach (var line in DatasetReportWriter.TargetLines(book))
        {
            yield return line;
        }
    }
}
