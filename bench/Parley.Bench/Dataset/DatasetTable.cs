namespace Parley.Bench.Dataset;

/// <summary>
/// The generated rows of one of Parley's tables, in the order of <see cref="Columns"/>, made lazily (the full shape
/// has about 2.2 million rows): integers and times are <see cref="long"/>, text is <see cref="string"/>, null is null.
/// </summary>
internal sealed record DatasetTable(string Name, IReadOnlyList<DatasetColumn> Columns, IEnumerable<object?[]> Rows)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}
