namespace Parley.Bench.Dataset;

/// <summary>What a generated column holds, so that each backend writes it in its own type.</summary>
internal enum DatasetColumnKind
{
    /// <summary>A 64-bit integer (a <see cref="long"/>), or null.</summary>
    Integer,

    /// <summary>A string, or null.</summary>
    Text,

    /// <summary>A point in time as Unix milliseconds (a <see cref="long"/>): SQLite stores it so, PostgreSQL as <c>timestamptz</c>.</summary>
    Time,
}
