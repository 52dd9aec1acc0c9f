namespace Parley.Bench.Dataset;

/// <summary>A user the data-set scenario acts as, with the API token it authenticates with (HTTP and sockets).</summary>
internal sealed record BenchUser(long Id, string Username, string Token);
