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
        text.Append("| figure | unit |");
        foreach (var contender in contenders)
        {
            text.Append(' ').Append(contender.Label()).Append(" |");
        }
        text.AppendLine(hasNormal ? " Parley ÷ SignalR (NORMAL) | Parley ÷ Kestrel (NORMAL) |" : " Parley ÷ SignalR | Parley ÷ Kestrel |");
        text.Append("| --- | --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", contenders.Count + 2))).AppendLine();
        var notes = new List<(string Group, ContenderKind Contender, string Note)>();
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

    private static string Cell(ResultBook book, FigureSpec figure, ContenderKind contender, List<(string Group, ContenderKind Contender, string Note)> notes)
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

        var rate = Get("fanout1.rate");
        var signalRRate = Get("fanout1.rate", ContenderKind.SignalR);
        yield return $"fan-out 1×500 delivered/s ≥ 1.2 × SignalR: {N(rate, "#,0")} vs {N(signalRRate, "#,0")} ({N(rate / signalRRate, "0.00")}×) — {Verdict(rate / signalRRate >= 1.2)}";
        var cpu = Get("fanout1.cpu");
        var signalRCpu = Get("fanout1.cpu", ContenderKind.SignalR);
        yield return $"fan-out 1×500 CPU-ms per 1,000 deliveries ≤ 0.8 × SignalR: {N(cpu, "0.00")} vs {N(signalRCpu, "0.00")} ({N(cpu / signalRCpu, "0.00")}×) — {Verdict(cpu / signalRCpu <= 0.8)}";
        var p99 = Get("latency.p99");
        var signalRP99 = Get("latency.p99", ContenderKind.SignalR);
        yield return $"latency p99 at 50,000 deliveries/s ≤ 5 ms and below SignalR's: {N(p99, "0.00")} ms vs SignalR {N(signalRP99, "0.00")} ms — {Verdict(p99 <= 5 && p99 < signalRP99)}" +
            (Get("latency.p99", ContenderKind.ParleyNormal) is { } normal ? $" (NORMAL: {N(normal, "0.00")} ms — {Verdict(normal <= 5 && normal < signalRP99)})" : "");
        var rss = Get("idle.rss");
        var heap = Get("idle.heap");
        yield return $"idle memory ≤ 8 KB per connection: RSS {N(rss, "0.0")} KB — {Verdict(rss <= 8)}; managed heap {N(heap, "0.0")} KB — {Verdict(heap <= 8)}";
        var persisted = Get("persist.rate");
        yield return $"persistence ≥ 20,000 persisted messages/s with p99 < 100 ms: {N(persisted, "#,0")}/s — {Verdict(persisted >= 20_000)}" +
            (Get("persist.rate", ContenderKind.ParleyNormal) is { } normalRate ? $" (NORMAL: {N(normalRate, "#,0")}/s — {Verdict(normalRate >= 20_000)})" : "");
        var held = Get("scale.held");
        yield return $"scale ≥ 100,000 concurrent connections: {N(held, "#,0")} — {Verdict(held >= 100_000)}";
    }
}
