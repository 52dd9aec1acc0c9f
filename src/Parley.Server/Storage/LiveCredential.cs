namespace Parley.Server.Storage;

/// <summary>A session or API token that still authenticates, as <see cref="IChatStore.FindLiveCredentialsAsync"/> finds it.</summary>
/// <param name="Hash">The stored hash of the session id or token.</param>
/// <param name="IsSession">True for a login session (sliding expiry), false for an API token.</param>
/// <param name="ExpiresAt">When it stops authenticating unless extended; null when it does not expire.</param>
public sealed record LiveCredential(string Hash, bool IsSession, DateTime? ExpiresAt);
