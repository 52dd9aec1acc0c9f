namespace Parley.Bench.Results;

/// <summary>One repeat's value of one figure for one contender; not <see cref="Valid"/> when the note says why it cannot be trusted.</summary>
internal sealed record Observation(string Figure, ContenderKind Contender, double Value, bool Valid, string? Note);
