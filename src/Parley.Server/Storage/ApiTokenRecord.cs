namespace Parley.Server.Storage;

/// <summary>An API token for non-browser clients; only the SHA-256 of the token is stored.</summary>
public sealed record ApiTokenRecord(long Id, long UserId, string Name, string TokenHash, DateTime CreatedAt);
