namespace Parley.Server.Storage;

/// <summary>A server-side login session; only the SHA-256 of its id is stored.</summary>
public sealed record SessionRecord(string IdHash, long UserId, DateTime CreatedAt, DateTime ExpiresAt);
