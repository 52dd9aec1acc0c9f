using System.Globalization;
using System.Text;
using Parley.Bench.Dataset;

namespace Parley.Bench.Results;

/// <summary>
/// The data-set scenario's table: each figure on the big database beside the same figure on the empty one, their
/// ratio and whether it holds its target; and the line for the runner's list of targets.
/// </summary>
internal static class DatasetReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static bool HasResults(ResultBook book) => book.Of(DatasetFigure.ScaleKey, ContenderKind.Parley).Count > 0;

    public static void Write(StringBuilder text, ResultBook book, List<(string Group, ContenderKind Contender, string Note)> notes)
    {
        var scale = book.Median(DatasetFigure.ScaleKey, ContenderKind.Parley) ?? 1;
        text.AppendLine().Append("Data set (Parley, SQLite synchronous FULL). Big: ").Append(DatasetShape.Big(scale).Describe())
            .Append(". Empty: ").Append(DatasetShape.Empty.Describe()).AppendLine(".").AppendLine();
        text.AppendLine("| figure | unit | empty database | big database | big ÷ empty | target | holds |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var figure in DatasetFigure.All)
        {
            var ratio = Ratio(book, figure);
            text.Append("| ").Append(figure.Label).Append(" | ").Append(figure.Unit).Append(" | ")
                .Append(ReportWriter.Cell(book, figure.Spec("empty"), ContenderKind.Parley, notes)).Append(" | ")
                .Append(ReportWriter.Cell(book, figure.Spec("big"), ContenderKind.Parley, notes)).Append(" | ")
                .Append(ratio is { } r ? r.ToString("0.00", Invariant) + "×" : "–").Append(" | ")
                .Append(figure.MaxRatio is { } max ? "≤ " + max.ToString("0.0", Invariant) + "×" : "–").Append(" | ")
                .Append(Holds(figure, ratio) switch { true => "holds", false => "**misses**", null => "–" }).AppendLine(" |");
        }
        var foreign = new[] { "empty", "big" }.SelectMany(d => book.Of($"dataset.{d}.{DatasetFigure.ForeignStem}", ContenderKind.Parley)).Select(o => o.Value).Order().ToArray();
        if (foreign.Length > 0)
        {
            text.AppendLine().AppendLine(FormattableString.Invariant(
                $"Foreign CPU on the benchmark's cores while the operations were timed: median {foreign[foreign.Length / 2]:0.00} [{foreign[0]:0.00}–{foreign[^1]:0.00}] of a core over {foreign.Length} measurements (above {Usage.ContendedForeignCpu:0.00} marks a figure ⚠)."));
        }
    }

    /// <summary>For the list of targets: how many figures hold, and which miss by how much.</summary>
    public static string TargetLine(ResultBook book)
    {
        var judged = DatasetFigure.All.Where(f => f.MaxRatio is not null).Select(f => (Figure: f, Ratio: Ratio(book, f))).ToArray();
        var measured = judged.Where(j => j.Ratio is not null).ToArray();
        var misses = measured.Where(j => Holds(j.Figure, j.Ratio) == false).ToArray();
        var line = "data set: every figure within 2× of the empty database's and RSS within 1.5×: ";
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

    private static double? Ratio(ResultBook book, DatasetFigure figure) =>
        book.Median(figure.Key("big"), ContenderKind.Parley) is { } big && book.Median(figure.Key("empty"), ContenderKind.Parley) is { } empty && empty > 0
            ? big / empty
            : null;

    private static bool? Holds(DatasetFigure figure, double? ratio) => figure.MaxRatio is { } max && ratio is { } r ? r <= max : null;
}
