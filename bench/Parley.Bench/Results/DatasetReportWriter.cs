using System.Globalization;
using System.Text;
using Parley.Bench.Dataset;

namespace Parley.Bench.Results;

/// <summary>
/// The data-set scenario's tables, one per store measured (SQLite, PostgreSQL): each figure on the big database beside
/// the same figure on the empty one, their ratio and whether it holds its target; and a line per store for the
/// runner's list of targets.
/// </summary>
internal static class DatasetReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Every store's key prefix and label, in the order of the report.</summary>
    private static readonly (string Prefix, string Label)[] Stores =
        [(SqliteDatasetStore.Prefix, SqliteDatasetStore.StoreLabel), (PostgresDatasetStore.Prefix, PostgresDatasetStore.StoreLabel)];

    public static bool HasResults(ResultBook book) => Stores.Any(s => Measured(book, s.Prefix));

    private static bool Measured(ResultBook book, string prefix) => book.Of(DatasetFigure.ScaleKey(prefix), ContenderKind.Parley).Count > 0;

    public static void Write(StringBuilder text, ResultBook book, List<(string Group, ContenderKind Contender, string Note)> notes)
    {
        foreach (var (prefix, store) in Stores.Where(s => Measured(book, s.Prefix)))
        {
            WriteStore(text, book, notes, prefix, store);
        }
    }

    private static void WriteStore(StringBuilder text, ResultBook book, List<(string Group, ContenderKind Contender, string Note)> notes, string prefix, string store)
    {
        var scale = book.Median(DatasetFigure.ScaleKey(prefix), ContenderKind.Parley) ?? 1;
        text.AppendLine().Append("Data set (Parley, ").Append(store).Append("). Big: ").Append(DatasetShape.Big(scale).Describe())
            .Append(". Empty: ").Append(DatasetShape.Empty.Describe()).AppendLine(".").AppendLine();
        text.AppendLine("| figure | unit | empty database | big database | big ÷ empty | target | holds |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var figure in DatasetFigure.All)
        {
            var ratio = Ratio(book, prefix, figure);
            text.Append("| ").Append(figure.Label).Append(" | ").Append(figure.Unit).Append(" | ")
                .Append(ReportWriter.Cell(book, figure.Spec(prefix, "empty", store), ContenderKind.Parley, notes)).Append(" | ")
                .Append(ReportWriter.Cell(book, figure.Spec(prefix, "big", store), ContenderKind.Parley, notes)).Append(" | ")
                .Append(ratio is { } r ? r.ToString("0.00", Invariant) + "×" : "–").Append(" | ")
                .Append(figure.MaxRatio is { } max ? "≤ " + max.ToString("0.0", Invariant) + "×" : "–").Append(" | ")
                .Append(Holds(figure, ratio) switch { true => "holds", false => "**misses**", null => "–" }).AppendLine(" |");
        }
        var foreign = new[] { "empty", "big" }.SelectMany(d => book.Of($"{prefix}.{d}.{DatasetFigure.ForeignStem}", ContenderKind.Parley)).Select(o => o.Value).Order().ToArray();
        if (foreign.Length > 0)
        {
            text.AppendLine().AppendLine(FormattableString.Invariant(
                $"Foreign CPU on the benchmark's cores while the operations were timed: median {foreign[foreign.Length / 2]:0.00} [{foreign[0]:0.00}–{foreign[^1]:0.00}] of a core over {foreign.Length} measurements (above {Usage.ContendedForeignCpu:0.00} marks a figure ⚠)."));
        }
    }

    /// <summary>For the list of targets: per store measured (or SQLite's, not measured), how many figures hold, and which miss by how much.</summary>
    public static IEnumerable<string> TargetLines(ResultBook book)
    {
        var measured = Stores.Where(s => Measured(book, s.Prefix)).ToArray();
        foreach (var (prefix, store) in measured.Length > 0 ? measured : Stores[..1])
        {
            yield return TargetLine(book, prefix, store);
        }
    }

    private static string TargetLine(ResultBook book, string prefix, string store)
    {
        var judged = DatasetFigure.All.Where(f => f.MaxRatio is not null).Select(f => (Figure: f, Ratio: Ratio(book, prefix, f))).ToArray();
        var measured = judged.Where(j => j.Ratio is not null).ToArray();
        var misses = measured.Where(j => Holds(j.Figure, j.Ratio) == false).ToArray();
        var line = $"data set ({store}): every figure within 2× of the empty database's and RSS within 1.5×: ";
        if (measured.Length == 0)
        {
            return line + "not measured";
        }
        line += FormattableString.Invariant($"{measured.Length - misses.Length} of {judged.Length} hold");
        if (misses.Length > 0)
        {
            line += "; misses: " + string.Join(", ", misses.Select(m => FormattableString.Invariant($"{m.Figure.Stem} {m.Ratio:0.00}×")));
        }
        return line + (misses.Length == 0 && measured.Length == judged.Length ? " — **met**" : " — **not met**");
    }

    private static double? Ratio(ResultBook book, string prefix, DatasetFigure figure) =>
        book.Median(figure.Key(prefix, "big"), ContenderKind.Parley) is { } big && book.Median(figure.Key(prefix, "empty"), ContenderKind.Parley) is { } empty && empty > 0
            ? big / empty
            : null;

    private static bool? Holds(DatasetFigure figure, double? ratio) => figure.MaxRatio is { } max && ratio is { } r ? r <= max : null;
}
