using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Parley.Server.Storage.Sqlite.SqliteCommands;

namespace Parley.Server.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    private const string UserColumns = "id, username, display_name, role, password_hash, created_at";

    private static UserRecord MapUser(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), FromUnixMs(r.GetInt64(5)));

    public async Task<UserRecord> CreateUserAsync(string username, string displayName, string role, string passwordHash, DateTime now)
    {
        try
        {
            return await Writer.EnqueueAsync(tx =>
            {
                using var insert = tx.Command(
                    $"INSERT INTO users (username, username_normalized, display_name, role, password_hash, created_at) VALUES ($u, $n, $d, $r, $h, $t) RETURNING {UserColumns}",
                    ("$u", username), ("$n", username.ToUpperInvariant()), ("$d", displayName), ("$r", role), ("$h", passwordHash), ("$t", ToUnixMs(now)));
                return ReadSingle(insert, MapUser)!;
            });
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new DuplicateUsernameException(username);
        }
    }

    public Task<UserRecord?> GetUserAsync(long id) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {UserColumns} FROM users WHERE id = $id", ("$id", id)), MapUser));

    public Task<UserRecord?> FindUserByUsernameAsync(string username) =>
        ReadAsync(c => ReadSingle(c.Command($"SELECT {UserColumns} FROM users WHERE username_normalized = $n", ("$n", username.ToUpperInvariant())), MapUser));

    public Task UpdatePasswordHashAsync(long userId, string passwordHash) =>
        Writer.EnqueueAsync(tx => tx.Execute("UPDATE users SET password_hash = $h WHERE id = $id", ("$h", passwordHash), ("$id", userId)));

    public Task CreateSessionAsync(SessionRecord session) =>
        Writer.EnqueueAsync(tx => tx.Execute(
            "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($h, $u, $c, $e)",
            ("$h", session.IdHash), ("$u", session.UserId), ("$c", ToUnixMs(session.CreatedAt)), ("$e", ToUnixMs(session.ExpiresAt))));

    public Task<SessionRecord?> GetSessionAsync(string idHash) =>
        ReadAsync(c => ReadSingle(
            c.Command("SELECT id_hash, user_id, created_at, expires_at FROM sessions WHERE id_hash = $h", ("$h", idHash)),
            r => new SessionRecord(r.GetString(0), r.GetInt64(1), FromUnixMs(r.GetInt64(2)), FromUnixMs(r.GetInt64(3)))));

    public Task ExtendSessionAsync(string idHash, DateTime expiresAt) =>
        Writer.EnqueueAsync(tx => tx.Execute("UPDATE sessions SET expires_at = $e WHERE id_hash = $h", ("$e", ToUnixMs(expiresAt)), ("$h", idHash)));

    public async Task<bool> DeleteSessionAsync(string idHash) =>
        await Writer.EnqueueAsync(tx => tx.Execute("DELETE FROM sessions WHERE id_hash = $h", ("$h", idHash))) > 0;

    private static ApiTokenRecord MapToken(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), FromUnixMs(r.GetInt64(4)));

    public Task<ApiTokenRecord> CreateApiTokenAsync(long userId, string name, string tokenHash, DateTime now) =>
        Writer.EnqueueAsync(tx => ReadSingle(tx.Command(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($u, $n, $h, $t) RETURNING id, user_id, name, token_hash, created_at",
            ("$u", userId), ("$n", name), ("$h", tokenHash), ("$t", ToUnixMs(now))), MapToken)!);

    public Task<ApiTokenRecord?> FindApiTokenAsync(string tokenHash) =>
        ReadAsync(c => ReadSingle(c.Command("SELECT id, user_id, name, token_hash, created_at FROM api_tokens WHERE token_hash = $h", ("$h", tokenHash)), MapToken));

    public Task<IReadOnlyList<ApiTokenRecord>> ListApiTokensAsync(long userId) =>
        ReadAsync<IReadOnlyList<ApiTokenRecord>>(c => ReadAll(c.Command("SELECT id, user_id, name, token_hash, created_at FROM api_tokens WHERE user_id = $u ORDER BY id", ("$u", userId)), MapToken));

    public async Task<bool> DeleteApiTokenAsync(long userId, long tokenId) =>
        await Writer.EnqueueAsync(tx => tx.Execute("DELETE FROM api_tokens WHERE id = $id AND user_id = $u", ("$id", tokenId), ("$u", userId))) > 0;

    // The hashes travel as one JSON array parameter, so that a batch of any size is one statement (no limit on
    // the number of bound variables, one cached plan).
    public Task<IReadOnlyList<LiveCredential>> FindLiveCredentialsAsync(IReadOnlyCollection<string> credentialHashes, DateTime now) =>
        ReadAsync<IReadOnlyList<LiveCredential>>(c => ReadAll(
            c.Command(
                "SELECT id_hash, 1, expires_at FROM sessions WHERE id_hash IN (SELECT value FROM json_each($h)) AND expires_at > $now " +
                "UNION ALL SELECT token_hash, 0, NULL FROM api_tokens WHERE token_hash IN (SELECT value FROM json_each($h))",
                ("$h", JsonSerializer.Serialize(credentialHashes)), ("$now", ToUnixMs(now))),
            r => new LiveCredential(r.GetString(0), r.GetInt64(1) == 1, r.IsDBNull(2) ? null : FromUnixMs(r.GetInt64(2)))));
}
