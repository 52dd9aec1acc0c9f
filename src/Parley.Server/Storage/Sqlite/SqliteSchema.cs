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

        // 3: users the host owns carry its id for them (a JWT's sub, the server API's externalId). Existing users have
        // none; the partial unique index leaves them out.
        """
        ALTER TABLE users ADD COLUMN external_id TEXT;
        CREATE UNIQUE INDEX ux_users_external_id ON users(external_id) WHERE external_id IS NOT NULL;
        """,

        // 4: read state is one cursor per (channel, user): the highest seq the user marked read. One row per message
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

        // 5: every list pages by a key, so each list query is one index range. A user's workspaces in id order (the
        // index on user_id alone made that a sort); a user's DM channels by id (the pair's unique index is ordered by
        // the partner); pins in pin order; and DM conversations by newest activity, which needs the activity on the
        // channel row: the time and id of its newest message that is not deleted (the channel's creation and 0 when
        // none), kept by every append and delete. Entries of SQLite indexes end with the rowid, here the channel id.
        """
        CREATE INDEX ix_workspace_members_user_workspace ON workspace_members(user_id, workspace_id);
        DROP INDEX ix_workspace_members_user;
        CREATE INDEX ix_channels_dm_user_low ON channels(dm_user_low) WHERE dm_user_low IS NOT NULL;
        CREATE INDEX ix_pins_channel_order ON pins(channel_id, pinned_at, message_id);
        ALTER TABLE channels ADD COLUMN activity_at INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE channels ADD COLUMN last_message_id INTEGER NOT NULL DEFAULT 0;
        UPDATE channels SET
            activity_at = COALESCE((SELECT m.created_at FROM messages m WHERE m.channel_id = channels.id AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1), created_at),
            last_message_id = COALESCE((SELECT m.id FROM messages m WHERE m.channel_id = channels.id AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1), 0);
        CREATE INDEX ix_channels_dm_low_activity ON channels(dm_user_low, activity_at, last_message_id) WHERE dm_user_low IS NOT NULL;
        CREATE INDEX ix_channels_dm_high_activity ON channels(dm_user_high, activity_at, last_message_id) WHERE dm_user_high IS NOT NULL;
        """,

        // 6: message edit. When the author last replaced the message's content (Unix ms), null when never edited.
        // Existing messages were never edited; adding a nullable column rewrites no row.
        """
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        """,
    ];
}
