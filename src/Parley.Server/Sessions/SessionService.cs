using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Storage;

namespace Parley.Server.Sessions;

/// <summary>
/// Server-side sessions and API tokens: creation, validation with sliding expiry, and revocation
/// (which also closes the sockets that used the credential).
/// </summary>
public sealed class SessionService(IChatStore store, IOptions<LoginSessionOptions> options, TimeProvider time, IMessageBus bus)
{
    private const string SessionPrefix = "ps_";
    private const string TokenPrefix = "pt_";
    private const string HostCredentialPrefix = "jwt:";

    private readonly LoginSessionOptions _options = options.Value;

    /// <summary>Creates a session and returns its id, the only copy of which goes into the cookie.</summary>
    public async Task<string> CreateSessionAsync(long userId, CancellationToken cancellationToken)
    {
        var sessionId = SecretTokens.New(SessionPrefix);
        var now = time.GetUtcNow().UtcDateTime;
        await store.CreateSessionAsync(new SessionRecord(SecretTokens.Hash(sessionId), userId, now, now + _options.Lifetime), cancellationToken);
        return sessionId;
    }

    /// <summary>
    /// The user of a live session, extending its expiry (<c>Extended</c>: the cookie should be re-issued too);
    /// a null user when unknown or expired.
    /// </summary>
    public async Task<(AuthenticatedUser? User, bool Extended)> ValidateSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(sessionId);
        var session = await store.GetSessionAsync(hash, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (session is null)
        {
            return (null, false);
        }
        if (session.ExpiresAt <= now)
        {
            await store.DeleteSessionAsync(hash, cancellationToken);
            return (null, false);
        }
        var user = await store.GetUserAsync(session.UserId, cancellationToken);
        if (user is null)
        {
            return (null, false);
        }
        var renewed = now + _options.Lifetime;
        var extend = renewed - session.ExpiresAt >= _options.RefreshGranularity;
        if (extend)
        {
            await store.ExtendSessionAsync(hash, renewed, cancellationToken);
        }
        return (new AuthenticatedUser(user.Id, user.Username, user.Role, hash), extend);
    }

    /// <summary>
    /// True while the credential with this stored hash (a live session or an API token) still authenticates;
    /// false once it was logged out, expired or revoked. Reads the store, so it holds on every node.
    /// </summary>
    public async Task<bool> IsCredentialValidAsync(string credentialHash, CancellationToken cancellationToken) =>
        (await FindLiveAsync([credentialHash], cancellationToken)).Count > 0;

    /// <summary>
    /// Which of these credentials (stored hashes of sessions and API tokens) still authenticate, with their expiry:
    /// one store query for the whole set. Reads the store, so it holds on every node.
    /// </summary>
    public async Task<IReadOnlyList<LiveCredential>> FindLiveAsync(IReadOnlyCollection<string> credentialHashes, CancellationToken cancellationToken)
    {
        // A host JWT was checked (signature, exp) when its socket opened and closes it at exp (4011); nothing of it is
        // stored, so it counts as live here, and only a revocation (logout everywhere) ends it early.
        var host = credentialHashes.Where(h => h.StartsWith(HostCredentialPrefix, StringComparison.Ordinal)).ToList();
        var stored = host.Count == 0 ? credentialHashes : [.. credentialHashes.Except(host)];
        var live = stored.Count == 0 ? [] : await store.FindLiveCredentialsAsync(stored, time.GetUtcNow().UtcDateTime, cancellationToken);
        return host.Count == 0 ? live : [.. live, .. host.Select(h => new LiveCredential(h, IsSession: false, ExpiresAt: null))];
    }

    /// <summary>
    /// Slides a session that an open socket keeps using, as a request would (<see cref="LoginSessionOptions.SocketsKeepSessionsAlive"/>);
    /// returns the new expiry. A session deleted meanwhile stays deleted: the update finds no row.
    /// </summary>
    public async Task<DateTime> KeepSessionAliveAsync(string sessionHash, CancellationToken cancellationToken)
    {
        var renewed = time.GetUtcNow().UtcDateTime + _options.Lifetime;
        await store.ExtendSessionAsync(sessionHash, renewed, cancellationToken);
        return renewed;
    }

    /// <summary>Deletes the session and closes its sockets. A request authenticated by an API token has no session to end.</summary>
    public async Task EndSessionAsync(string credentialHash, CancellationToken cancellationToken)
    {
        if (await store.DeleteSessionAsync(credentialHash, cancellationToken))
        {
            await bus.PublishAsync(new CredentialRevoked(credentialHash));
        }
    }

    /// <summary>
    /// The credential of every socket a user opened with a host JWT. One per user, not per token: a client that
    /// reconnects with a fresh token may RESUME its gateway session, and a logout everywhere revokes it.
    /// Session and token hashes are hex, so they can never collide with it.
    /// </summary>
    public static string HostCredential(long userId) => HostCredentialPrefix + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Logs the user out everywhere: deletes every session and API token of theirs and closes, on every node, every
    /// socket that used one of them or a host JWT (4001).
    /// </summary>
    public async Task EndAllOfUserAsync(long userId, CancellationToken cancellationToken)
    {
        foreach (var credentialHash in (IEnumerable<string>)[.. await store.DeleteCredentialsOfUserAsync(userId, cancellationToken), HostCredential(userId)])
        {
            await bus.PublishAsync(new CredentialRevoked(credentialHash));
        }
    }

    /// <summary>Creates an API token; the returned secret is shown once and never stored.</summary>
    public async Task<(ApiTokenRecord Record, string Token)> CreateApiTokenAsync(long userId, string name, CancellationToken cancellationToken)
    {
        var token = SecretTokens.New(TokenPrefix);
        var record = await store.CreateApiTokenAsync(userId, name, SecretTokens.Hash(token), time.GetUtcNow().UtcDateTime, cancellationToken);
        return (record, token);
    }

    public async Task<AuthenticatedUser?> ValidateApiTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var record = await store.FindApiTokenAsync(SecretTokens.Hash(token), cancellationToken);
        if (record is null)
        {
            return null;
        }
        var user = await store.GetUserAsync(record.UserId, cancellationToken);
        return user is null ? null : new AuthenticatedUser(user.Id, user.Username, user.Role, record.TokenHash);
    }

    /// <summary>Revokes one of the user's tokens and closes the sockets that used it.</summary>
    public Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId, CancellationToken cancellationToken) => store.ListApiTokensAsync(userId, cancellationToken);

    public async Task<bool> RevokeApiTokenAsync(long userId, long tokenId, CancellationToken cancellationToken)
    {
        var token = (await store.ListApiTokensAsync(userId, cancellationToken)).FirstOrDefault(t => t.Id == tokenId);
        if (token is null || !await store.DeleteApiTokenAsync(userId, tokenId, cancellationToken))
        {
            return false;
        }
        await bus.PublishAsync(new CredentialRevoked(token.TokenHash));
        return true;
    }
}
