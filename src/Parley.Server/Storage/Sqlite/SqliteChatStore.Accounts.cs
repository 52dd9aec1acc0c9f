using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Parley.Server.Storage.Sqlite.SqliteCommands;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    private const string UserColumns = "id, username, display_name, role, password_hash, created_at, external_id";

    private static UserRecord MapUser(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), FromUnixMs(r.GetInt64(5)), r.GetNullableString(6));

    public Task<UserRecord> CreateUserAsync(string username, string displayName, string role, string passwordHash, DateTime now, CancellationToken cancellationToken) =>
        InsertUserAsync(username, displayName, role, passwordHash, null, now, cancellationToken);

    public Task<UserRecord> CreateExternalUserAsync(string externalId, string username, string displayName, string role, DateTime now, CancellationToken cancellationToken) =>
        InsertUserAsync(username, displayName, role, "", externalId, now, cancellationToken);

    private async Task<UserRecord> InsertUserAsync(string username, string displayName, string role, string passwordHash, string? externalId, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(tx =>
            {
                using var insert = tx.Command(
                    $"INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at, external_id) VALUES ($u, $n, $d, $r, $h, $t, $x) RETURNING {UserColumns}",
                    ("$u", username), ("$n", username.ToUpperInvariant()), ("$d", displayName), ("$r", role), ("$h", passwordHash), ("$t", ToUnixMs(now)), ("$x", externalId));
                return ReadSingle(insert, MapUser)!;
            }, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw DuplicateOf(ex, username, externalId);
        }
    }

    // SQLite names the column of a failed unique constraint only in the message ("UNIQUE constraint failed: users.external_id").
    private static Exception DuplicateOf(SqliteException ex, string username, string? externalId) =>
        externalId is not null && ex.Message.Contains("external_id", StringComparison.Ordinal)
            ? new DuplicateExternalIdException(externalId)
            : new DuplicateUsernameException(username);

    public Task<UserRecord?> FindUserByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {UserColumns} FROM users WHERE external_id = $x", ("$x", externalId)), MapUser), cancellationToken);

    public async Task<UserRecord?> UpdateUserProfileAsync(long userId, string username, string displayName, string role, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(tx => ReadSingle(tx.Command(
                $"UPDATE users SET username = $u, username_normalized = $n, display_name = $d, role = $r WHERE id = $id RETURNING {UserColumns}",
                ("$u", username), ("$n", username.ToUpperInvariant()), ("$d", displayName), ("$r", role), ("$id", userId)), MapUser), cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new DuplicateUsernameException(username);
        }
    }

    public Task<IReadOnlyList<string>> DeleteCredentialsOfUserAsync(long userId, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<string>>(tx =>
        [
            .. ReadAll(tx.Command("DELETE FROM sessions WHERE user_id = $u RETURNING id_hash", ("$u", userId)), r => r.GetString(0)),
            .. ReadAll(tx.Command("DELETE FROM api_tokens WHERE user_id = $u RETURNING token_hash", ("$u", userId)), r => r.GetString(0)),
        ], cancellationToken);

    public Task<UserRecord?> GetUserAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {UserColumns} FROM users WHERE id = $id", ("$id", id)), MapUser), cancellationToken);

    public Task<UserRecord?> FindUserByUsernameAsync(string username, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {UserColumns} FROM users WHERE username_normalized = $n", ("$n", username.ToUpperInvariant())), MapUser), cancellationToken);

    public Task UpdatePasswordHashAsync(long userId, string passwordHash, CancellationToken cancellationToken) =>
        WriteAsync(tx => tx.Execute("UPDATE users SET password_hash = $h WHERE id = $id", ("$h", passwordHash), ("$id", userId)), cancellationToken);

    public Task CreateSessionAsync(SessionRecord session, CancellationToken cancellationToken) =>
        WriteAsync(tx => tx.Execute(
            "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($h, $u, $c, $e)",
            ("$h", session.IdHash), ("$u", session.UserId), ("$c", ToUnixMs(session.CreatedAt)), ("$e", ToUnixMs(session.ExpiresAt))), cancellationToken);

    public Task<SessionRecord?> GetSessionAsync(string idHash, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(
            c.Command("SELECT id_hash, user_id, created_at, expires_at FROM sessions WHERE id_hash = $h", ("$h", idHash)),
            r => new SessionRecord(r.GetString(0), r.GetInt64(1), FromUnixMs(r.GetInt64(2)), FromUnixMs(r.GetInt64(3)))), cancellationToken);

    public Task ExtendSessionAsync(string idHash, DateTime expiresAt, CancellationToken cancellationToken) =>
        WriteAsync(tx => tx.Execute("UPDATE sessions SET expires_at = $e WHERE id_hash = $h", ("$e", ToUnixMs(expiresAt)), ("$h", idHash)), cancellationToken);

    public async Task<bool> DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute("DELETE FROM sessions WHERE id_hash = $h", ("$h", idHash)), cancellationToken) > 0;

    private static ApiTokenRecord MapToken(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), FromUnixMs(r.GetInt64(4)));

    public Task<ApiTokenRecord> CreateApiTokenAsync(long userId, string name, string tokenHash, DateTime now, CancellationToken cancellationToken) =>
        WriteAsync(tx => ReadSingle(tx.Command(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($u, $n, $h, $t) RETURNING id, user_id, name, token_hash, created_at",
            ("$u", userId), ("$n", name), ("$h", tokenHash), ("$t", ToUnixMs(now))), MapToken)!, cancellationToken);

    public Task<ApiTokenRecord?> FindApiTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        ReadAsync(c => ReadSingle(c.Command("SELECT id, user_id, name, token_hash, created_at FROM api_tokens WHERE token_hash = $h", ("$h", tokenHash)), MapToken), cancellationToken);

    public Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ApiTokenRecord>>(c => ReadAll(c.Command("SELECT id, user_id, name, token_hash, created_at FROM api_tokens WHERE user_id = $u ORDER BY id", ("$u", userId)), MapToken), cancellationToken);

    public async Task<bool> DeleteApiTokenAsync(long userId, long tokenId, CancellationToken cancellationToken) =>
        await WriteAsync(tx => tx.Execute("DELETE FROM api_tokens WHERE id = $id AND user_id = $u", ("$id", tokenId), ("$u", userId)), cancellationToken) > 0;

    // The hashes travel as one JSON array parameter, so that a batch of any size is one statement (no limit on
    // the number of bound variables, one cached plan).
    public Task<IReadOnlyList<LiveCredential>> FindLiveCredentialsAsync(IReadOnlyCollection<string> credentialHashes, DateTime now, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<LiveCredential>>(c => ReadAll(
            c.Command(
                "SELECT id_hash, 1, expires_at FROM sessions WHERE id_hash IN (SELECT value FROM json_each($h)) AND expires_at > $now " +
                "UNION ALL SELECT token_hash, 0, NULL FROM api_tokens WHERE token_hash IN (SELECT value FROM json_each($h))",
                ("$h", JsonSerializer.Serialize(credentialHashes)), ("$now", ToUnixMs(now))),
            r => new LiveCredential(r.GetString(0), r.GetInt64(1) == 1, r.IsDBNull(2) ? null : FromUnixMs(r.GetInt64(2)))), cancellationToken);
}
