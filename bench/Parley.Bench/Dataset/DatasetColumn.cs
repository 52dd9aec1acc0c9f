namespace Parley.Bench.Dataset;

/// <summary>A column of a generated table: its name in Parley's schema and what it holds.</summary>
internal sealed record DatasetColumn(string Name, DatasetColumnKind Kind);
