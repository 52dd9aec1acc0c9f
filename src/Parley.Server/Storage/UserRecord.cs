namespace Parley.Server.Storage;

/// <summary>A user row. <see cref="PasswordHash"/> never leaves the server.</summary>
public sealed record UserRecord(long Id, string Username, string DisplayName, string Role, string PasswordHash, DateTime CreatedAt);
