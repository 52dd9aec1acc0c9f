namespace Parley.Bench.Results;

/// <summary>Every observation of the run, and the median and range of each figure per contender.</summary>
internal sealed class ResultBook
{
    private readonly List<Observation> _observations = [];

    public IReadOnlyList<Observation> Observations => _observations;

    public void Add(string figure, ContenderKind contender, double value, bool valid = true, string? note = null)
    {
        lock (_observations)
        {
            _observations.Add(new Observation(figure, contender, value, valid, note));
        }
    }

    public IReadOnlyList<Observation> Of(string figure, ContenderKind contender) =>
        [.. _observations.Where(o => o.Figure == figure && o.Contender == contender)];

    /// <summary>The median over repeats, or null when the figure was not measured.</summary>
    public double? Median(string figure, ContenderKind contender)
    {
        var values = Of(figure, contender).Select(o => o.Value).Where(v => !double.IsNaN(v)).Order().ToArray();
        if (values.Length == 0)
        {
            return null;
        }
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
