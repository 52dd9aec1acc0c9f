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

    public Task<UserRecord> CreateUserAsync(string username, string displayName, string role, string passwordHash, DateTime now) =>
        InsertUserAsync(username, displayName, role, passwordHash, null, now);

    public Task<UserRecord> CreateExternalUserAsync(string externalId, string username, string displayName, string role, DateTime now) =>
        InsertUserAsync(username, displayName, role, "", externalId, now);

    private async Task<UserRecord> InsertUserAsync(string username, string displayName, string role, string passwordHash, string? externalId, DateTime now)
    {
        try
        {
            // Uniqueness is enforced on the upper-cased name, the same normalization as the SQLite store, so both
            // backends agree on which names collide.
            return (await _dataSource.Command(
                $"INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at, external_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {UserColumns}",
                username, username.ToUpperInvariant(), displayName, role, passwordHash, ToDb(now), externalId).ReadSingleAsync(MapUser))!;
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

    public Task<UserRecord?> FindUserByExternalIdAsync(string externalId) =>
        _dataSource.Command($"SELECT {UserColumns} FROM users WHERE external_id = $1", externalId).ReadSingleAsync(MapUser);

    public async Task<UserRecord?> UpdateUserProfileAsync(long userId, string username, string displayName, string role)
    {
        try
        {
            return await _dataSource.Command(
                $"UPDATE users SET username = $1, username_normalized = $2, display_name = $3, role = $4 WHERE id = $5 RETURNING {UserColumns}",
                username, username.ToUpperInvariant(), displayName, role, userId).ReadSingleAsync(MapUser);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "ux_users_username_normalized")
        {
            throw new DuplicateUsernameException(username);
        }
    }

    public async Task<IReadOnlyList<string>> DeleteCredentialsOfUserAsync(long userId) =>
        // One statement, so the sessions and the tokens go together.
        await _dataSource.Command(
            "WITH s AS (DELETE FROM sessions WHERE user_id = $1 RETURNING id_hash), t AS (DELETE FROM api_tokens WHERE user_id = $1 RETURNING token_hash) " +
            "SELECT id_hash FROM s UNION ALL SELECT token_hash FROM t",
            userId).ReadAllAsync(r => r.GetString(0));

    public Task<UserRecord?> GetUserAsync(long id) =>
        _dataSource.Command($"SELECT {UserColumns} FROM users WHERE id = $1", id).ReadSingleAsync(MapUser);

    public Task<UserRecord?> FindUserByUsernameAsync(string username) =>
        _dataSource.Command($"SELECT {UserColumns} FROM users WHERE username_normalized = $1", username.ToUpperInvariant()).ReadSingleAsync(MapUser);

    public Task UpdatePasswordHashAsync(long userId, string passwordHash) =>
        _dataSource.Command("UPDATE users SET password_hash = $1 WHERE id = $2", passwordHash, userId).ExecuteAsync();

    public Task CreateSessionAsync(SessionRecord session) =>
        _dataSource.Command(
            "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            session.IdHash, session.UserId, ToDb(session.CreatedAt), ToDb(session.ExpiresAt)).ExecuteAsync();

    public Task<SessionRecord?> GetSessionAsync(string idHash) =>
        _dataSource.Command("SELECT id_hash, user_id, created_at, expires_at FROM sessions WHERE id_hash = $1", idHash)
            .ReadSingleAsync(r => new SessionRecord(r.GetString(0), r.GetInt64(1), r.GetUtc(2), r.GetUtc(3)));

    public Task ExtendSessionAsync(string idHash, DateTime expiresAt) =>
        _dataSource.Command("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2", ToDb(expiresAt), idHash).ExecuteAsync();

    public async Task<bool> DeleteSessionAsync(string idHash) =>
        await _dataSource.Command("DELETE FROM sessions WHERE id_hash = $1", idHash).ExecuteAsync() > 0;

    public async Task<ApiTokenRecord> CreateApiTokenAsync(long userId, string name, string tokenHash, DateTime now) =>
        (await _dataSource.Command(
            $"INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING {TokenColumns}",
            userId, name, tokenHash, ToDb(now)).ReadSingleAsync(MapToken))!;

    public Task<ApiTokenRecord?> FindApiTokenAsync(string tokenHash) =>
        _dataSource.Command($"SELECT {TokenColumns} FROM api_tokens WHERE token_hash = $1", tokenHash).ReadSingleAsync(MapToken);

    public async Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId) =>
        await _dataSource.Command($"SELECT {TokenColumns} FROM api_tokens WHERE user_id = $1 ORDER BY id", userId).ReadAllAsync(MapToken);

    public async Task<bool> DeleteApiTokenAsync(long userId, long tokenId) =>
        await _dataSource.Command("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", tokenId, userId).ExecuteAsync() > 0;

    public async Task<IReadOnlyList<LiveCredential>> FindLiveCredentialsAsync(IReadOnlyCollection<string> credentialHashes, DateTime now) =>
        await _dataSource.Command(
            "SELECT id_hash, true, expires_at FROM sessions WHERE id_hash = ANY($1) AND expires_at > $2 " +
            "UNION ALL SELECT token_hash, false, NULL::timestamptz FROM api_tokens WHERE token_hash = ANY($1)",
            credentialHashes.ToArray(), ToDb(now))
            .ReadAllAsync(r => new LiveCredential(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetUtc(2)));
}
