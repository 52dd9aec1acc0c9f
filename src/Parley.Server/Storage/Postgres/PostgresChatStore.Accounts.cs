using Npgsql;
using static Parley.Server.Storage.Postgres.PostgresCommands;

namespace Parley.Server.Storage.Postgres;

public sealed partial class PostgresChatStore
{
    private const string UserColumns = "id, username, display_name, role, password_hash, created_at, external_id";
    private const string TokenColumns = "id, user_id, name, token_hash, created_at";

    private static UserRecord MapUser(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetUtc(5), r.GetNullableString(6));

    private static ApiTokenRecord MapToken(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetUtc(4));

    public Task<UserRecord> CreateUserAsync(string username, string displayName, string role, string passwordHash, DateTime now, CancellationToken cancellationToken) =>
        InsertUserAsync(username, displayName, role, passwordHash, null, now, cancellationToken);

    public Task<UserRecord> CreateExternalUserAsync(string externalId, string username, string displayName, string role, DateTime now, CancellationToken cancellationToken) =>
        InsertUserAsync(username, displayName, role, "", externalId, now, cancellationToken);

    private async Task<UserRecord> InsertUserAsync(string username, string displayName, string role, string passwordHash, string? externalId, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            // Uniqueness is enforced on the upper-cased name, the same normalization as the SQLite store, so both
            // backends agree on which names collide.
            return (await Writing(cancellationToken).Command(
                $"INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at, external_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {UserColumns}",
                username, username.ToUpperInvariant(), displayName, role, passwordHash, ToDb(now), externalId).ReadSingleAsync(MapUser, CancellationToken.None))!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "ux_users_username_normalized")
        {
            throw new DuplicateUsernameException(username);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "ux_users_external_id")
        {
            throw new DuplicateExternalIdException(externalId!);
        }
    }

    public Task<UserRecord?> FindUserByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        _dataSource.Command($"SELECT {UserColumns} FROM users WHERE external_id = $1", externalId).ReadSingleAsync(MapUser, cancellationToken);

    public async Task<UserRecord?> UpdateUserProfileAsync(long userId, string username, string displayName, string role, CancellationToken cancellationToken)
    {
        try
        {
            return await Writing(cancellationToken).Command(
                $"UPDATE users SET username = $1, username_normalized = $2, display_name = $3, role = $4 WHERE id = $5 RETURNING {UserColumns}",
                username, username.ToUpperInvariant(), displayName, role, userId).ReadSingleAsync(MapUser, CancellationToken.None);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "ux_users_username_normalized")
        {
            throw new DuplicateUsernameException(username);
        }
    }

    public async Task<IReadOnlyList<string>> DeleteCredentialsOfUserAsync(long userId, CancellationToken cancellationToken) =>
        // One statement, so the sessions and the tokens go together.
        await Writing(cancellationToken).Command(
            "WITH s AS (DELETE FROM sessions WHERE user_id = $1 RETURNING id_hash), t AS (DELETE FROM api_tokens WHERE user_id = $1 RETURNING token_hash) " +
            "SELECT id_hash FROM s UNION ALL SELECT token_hash FROM t",
            userId).ReadAllAsync(r => r.GetString(0), CancellationToken.None);

    public Task<UserRecord?> GetUserAsync(long id, CancellationToken cancellationToken) =>
        _dataSource.Command($"SELECT {UserColumns} FROM users WHERE id = $1", id).ReadSingleAsync(MapUser, cancellationToken);

    public Task<UserRecord?> FindUserByUsernameAsync(string username, CancellationToken cancellationToken) =>
        _dataSource.Command($"SELECT {UserColumns} FROM users WHERE username_normalized = $1", username.ToUpperInvariant()).ReadSingleAsync(MapUser, cancellationToken);

    public Task UpdatePasswordHashAsync(long userId, string passwordHash, CancellationToken cancellationToken) =>
        Writing(cancellationToken).Command("UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, userId).ExecuteAsync(CancellationToken.None);

    public Task CreateSessionAsync(SessionRecord session, CancellationToken cancellationToken) =>
        Writing(cancellationToken).Command(
            "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            session.IdHash, session.UserId, ToDb(session.CreatedAt), ToDb(session.ExpiresAt)).ExecuteAsync(CancellationToken.None);

    public Task<SessionRecord?> GetSessionAsync(string idHash, CancellationToken cancellationToken) =>
        _dataSource.Command("SELECT id_hash, user_id, created_at, expires_at FROM sessions WHERE id_hash = $1", idHash)
            .ReadSingleAsync(r => new SessionRecord(r.GetString(0), r.GetInt64(1), r.GetUtc(2), r.GetUtc(3)), cancellationToken);

    public Task ExtendSessionAsync(string idHash, DateTime expiresAt, CancellationToken cancellationToken) =>
        Writing(cancellationToken).Command("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2", ToDb(expiresAt), idHash).ExecuteAsync(CancellationToken.None);

    public async Task<bool> DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command("DELETE FROM sessions WHERE id_hash = $1", idHash).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<ApiTokenRecord> CreateApiTokenAsync(long userId, string name, string tokenHash, DateTime now, CancellationToken cancellationToken) =>
        (await Writing(cancellationToken).Command(
            $"INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING {TokenColumns}",
            userId, name, tokenHash, ToDb(now)).ReadSingleAsync(MapToken, CancellationToken.None))!;

    public Task<ApiTokenRecord?> FindApiTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        _dataSource.Command($"SELECT {TokenColumns} FROM api_tokens WHERE token_hash = $1", tokenHash).ReadSingleAsync(MapToken, cancellationToken);

    public async Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId, CancellationToken cancellationToken) =>
        await _dataSource.Command($"SELECT {TokenColumns} FROM api_tokens WHERE user_id = $1 ORDER BY id", userId).ReadAllAsync(MapToken, cancellationToken);

    public async Task<bool> DeleteApiTokenAsync(long userId, long tokenId, CancellationToken cancellationToken) =>
        await Writing(cancellationToken).Command("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", tokenId, userId).ExecuteAsync(CancellationToken.None) > 0;

    public async Task<IReadOnlyList<LiveCredential>> FindLiveCredentialsAsync(IReadOnlyCollection<string> credentialHashes, DateTime now, CancellationToken cancellationToken) =>
        await _dataSource.Command(
            "SELECT id_hash, true, expires_at FROM sessions WHERE id_hash = ANY($1) AND expires_at > $2 " +
            "UNION ALL SELECT token_hash, false, NULL::timestamptz FROM api_tokens WHERE token_hash = ANY($1)",
            credentialHashes.ToArray(), ToDb(now))
            .ReadAllAsync(r => new LiveCredential(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetUtc(2)), cancellationToken);
}
