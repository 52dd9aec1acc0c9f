namespace Parley.Bench.Dataset;

/// <summary>A generated database ("empty" or "big"): the folder holding its file, and where its measured operations point.</summary>
internal sealed record GeneratedDatabase(string Name, string Directory, DatasetLandmarks Landmarks);
