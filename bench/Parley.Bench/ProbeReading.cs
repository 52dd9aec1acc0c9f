namespace Parley.Bench;

/// <summary>A contender's memory after a forced full GC: live managed heap, GC-committed bytes and RSS.</summary>
internal readonly record struct ProbeReading(long HeapBytes, long CommittedBytes, long RssBytes);
