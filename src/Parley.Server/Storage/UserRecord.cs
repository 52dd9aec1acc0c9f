namespace Parley.Server.Storage;

/// <summary>
/// A user row. <see cref="PasswordHash"/> never leaves the server; it is empty for a user the host provisioned
/// (no password: they sign in with the host's JWT). <see cref="ExternalId"/> is the host's id for the user (a
/// JWT's <c>sub</c>, the server API's <c>externalId</c>), unique; null for users who registered here.
/// </summary>
public sealed record UserRecord(long Id, string Username, string DisplayName, string Role, string PasswordHash, DateTime CreatedAt, string? ExternalId = null);
