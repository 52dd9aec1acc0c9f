using System.Globalization;
using System.Net;
using System.Text;

namespace Parley.Bench.Results;

/// <summary>
/// The chart for docs/benchmarks.md, as a self-contained SVG: three panels of horizontal bars (medians per
/// contender) — fan-out 1×500 delivered/s, latency p99 at 50,000 deliveries/s, and idle memory per connection.
/// </summary>
internal static class ChartWriter
{
    private const int Width = 720;
    private const int LabelWidth = 170;
    private const int BarHeight = 18;
    private static readonly string[] Colors = ["#2f6fdf", "#7aa6f0", "#e0832f", "#6c757d"];

    public static string Write(ResultBook book, IReadOnlyList<ContenderKind> contenders, string subtitle)
    {
        (string Title, string Key, string Unit, string Format)[] panels =
        [
            ("Fan-out 1×500: delivered messages/s (higher is better)", "fanout1.rate", "/s", "#,0"),
            ("Latency p99 at 50,000 deliveries/s (lower is better)", "latency.p99", " ms", "0.00"),
            ("Idle: server RSS per connection (lower is better)", "idle.rss", " KB", "0.0"),
            ("Idle: managed heap per connection (lower is better)", "idle.heap", " KB", "0.0"),
        ];
        var svg = new StringBuilder();
        var y = 68;
        var body = new StringBuilder();
        foreach (var (title, key, unit, format) in panels)
        {
            var values = contenders.Select(c => (Contender: c, Value: book.Median(key, c))).Where(v => v.Value is not null).ToArray();
            if (values.Length == 0)
            {
                continue;
            }
            body.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y}\" font-weight=\"bold\">{WebUtility.HtmlEncode(title)}</text>\n");
            y += 10;
            var max = Math.Max(values.Max(v => v.Value!.Value), 1e-9);
            foreach (var (contender, value) in values)
            {
                var length = (int)Math.Round((Width - LabelWidth - 110) * value!.Value / max);
                var color = Colors[(int)contender % Colors.Length];
                body.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + 14}\">{WebUtility.HtmlEncode(contender.Label())}</text>\n");
                body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{Math.Max(1, length)}\" height=\"{BarHeight}\" fill=\"{color}\"/>\n");
                // A median with invalid repeats is marked as in the table.
                var mark = book.Of(key, contender).Any(o => !o.Valid) ? " ⚠" : "";
                body.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + length + 6}\" y=\"{y + 14}\">{value.Value.ToString(format, CultureInfo.InvariantCulture)}{unit}{mark}</text>\n");
                y += BarHeight + 6;
            }
            y += 22;
        }
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{y}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{y}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Parley benchmarks (medians)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"40\" fill=\"#555\">{WebUtility.HtmlEncode(subtitle)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"56\" fill=\"#555\">⚠: some repeats not valid (see the table)</text>\n");
        svg.Append(body).Append("</svg>\n");
        return svg.ToString();
    }
}
