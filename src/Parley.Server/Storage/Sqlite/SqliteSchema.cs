namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The SQLite schema as an ordered list of migrations. The database's <c>user_version</c> is the number of
/// migrations applied; start-up applies the rest, each in its own transaction. Never edit a released
/// migration: append a new one, so that an upgrade keeps every row.
/// </summary>
internal static class SqliteSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: the initial schema. Times are Unix milliseconds (UTC).
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            username_normalized TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL);
        CREATE INDEX ix_sessions_user ON sessions(user_id);
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL);
        CREATE INDEX ix_api_tokens_user ON api_tokens(user_id);
        CREATE TABLE workspaces (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT,
            owner_id INTEGER NOT NULL REFERENCES users(id),
            created_at INTEGER NOT NULL);
        CREATE TABLE workspace_members (
            workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
            joined_at INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, user_id));
        CREATE INDEX ix_workspace_members_user ON workspace_members(user_id);
        CREATE TABLE channels (
            id INTEGER PRIMARY KEY,
            workspace_id INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('text', 'announcement', 'dm')),
            subject TEXT,
            dm_user_low INTEGER REFERENCES users(id),
            dm_user_high INTEGER REFERENCES users(id),
            last_seq INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE (dm_user_low, dm_user_high));
        CREATE INDEX ix_channels_workspace ON channels(workspace_id);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            author_id INTEGER NOT NULL REFERENCES users(id),
            content TEXT NOT NULL,
            message_type TEXT NOT NULL,
            file_url TEXT,
            client_msg_id TEXT,
            created_at INTEGER NOT NULL,
            deleted_at INTEGER,
            UNIQUE (channel_id, seq));
        CREATE UNIQUE INDEX ux_messages_client_msg_id ON messages(channel_id, author_id, client_msg_id)
            WHERE client_msg_id IS NOT NULL;
        CREATE TABLE read_receipts (
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            read_at INTEGER NOT NULL,
            PRIMARY KEY (message_id, user_id));
        CREATE TABLE pins (
            channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            pinned_by INTEGER NOT NULL REFERENCES users(id),
            pinned_at INTEGER NOT NULL,
            PRIMARY KEY (channel_id, message_id));
        """,

        // 2: listing a user's DM channels matches dm_user_low (served by the pair's unique index) or dm_user_high,
        // which had no index: every such lookup by the higher-id user scanned all channels.
        """
        CREATE INDEX ix_channels_dm_user_high ON channels(dm_user_high) WHERE dm_user_high IS NOT NULL;
        """,

        // 3: read state is one cursor per (channel, user): the highest seq the user marked read. One row per message
        // per reader grew with history and made unread counts scan it. Every receipt is carried over: the cursor is
        // the highest seq among the user's read messages of the channel, so each message read before is still read.
        """
        CREATE TABLE read_cursors (
            channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            last_read_seq INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (channel_id, user_id));
        CREATE INDEX ix_read_cursors_channel_seq ON read_cursors(channel_id, last_read_seq);
        INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at)
            SELECT m.channel_id, r.user_id, MAX(m.seq), MAX(r.read_at)
            FROM read_receipts r JOIN messages m ON m.id = r.message_id
            GROUP BY m.channel_id, r.user_id;
        DROP TABLE read_receipts;
        """,
    ];
}
