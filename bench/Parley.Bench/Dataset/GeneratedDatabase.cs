namespace Parley.Bench.Dataset;

/// <summary>A generated database ("empty" or "big") of the store, and where its measured operations point.</summary>
internal sealed record GeneratedDatabase(string Name, DatasetLandmarks Landmarks);
