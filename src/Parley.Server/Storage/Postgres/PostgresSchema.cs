namespace Parley.Server.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as an ordered list of migrations, numbered from 1. The <c>schema_version</c> table holds
/// one row per applied migration; start-up applies the rest under an advisory lock, each in its own transaction
/// (PostgreSQL DDL is transactional, so a failed migration leaves no half-built schema). Never edit a released
/// migration: append a new one, so that an upgrade keeps every row. The same numbering as
/// <see cref="Sqlite.SqliteSchema"/>: version N means the same logical schema on both backends.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>
    /// Key of the session-level advisory lock held while migrating, so that nodes starting together apply each
    /// migration once. Any fixed number works; this one is "parley" in ASCII, unlikely to collide with another app.
    /// </summary>
    public const long MigrationLockKey = 0x70_61_72_6c_65_79;

    public const string CreateVersionTable =
        """
        CREATE TABLE IF NOT EXISTS schema_version (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now())
        """;

    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: the initial schema. Times are timestamptz written with millisecond precision (the wire format's).
        // Identity columns keep the default sequence cache of 1, so ids are handed out in the order inserts run:
        // together with the channel row lock taken by every append, ids increase with seq inside a channel.
        """
        CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            username text NOT NULL,
            username_normalized text NOT NULL CONSTRAINT ux_users_username_normalized UNIQUE,
            display_name text NOT NULL,
            role text NOT NULL,
            password_hash text NOT NULL,
            created_at timestamptz NOT NULL);
        CREATE TABLE sessions (
            id_hash text PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL);
        CREATE INDEX ix_sessions_user ON sessions(user_id);
        CREATE TABLE api_tokens (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name text NOT NULL,
            token_hash text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL);
        CREATE INDEX ix_api_tokens_user ON api_tokens(user_id);
        CREATE TABLE workspaces (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            description text,
            owner_id bigint NOT NULL REFERENCES users(id),
            created_at timestamptz NOT NULL);
        CREATE TABLE workspace_members (
            workspace_id bigint NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
            joined_at timestamptz NOT NULL,
            PRIMARY KEY (workspace_id, user_id));
        CREATE INDEX ix_workspace_members_user ON workspace_members(user_id);
        CREATE TABLE channels (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workspace_id bigint REFERENCES workspaces(id) ON DELETE CASCADE,
            name text NOT NULL,
            type text NOT NULL CHECK (type IN ('text', 'announcement', 'dm')),
            subject text,
            dm_user_low bigint REFERENCES users(id),
            dm_user_high bigint REFERENCES users(id),
            last_seq bigint NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL,
            CONSTRAINT ux_channels_dm_pair UNIQUE (dm_user_low, dm_user_high));
        CREATE INDEX ix_channels_workspace ON channels(workspace_id);
        CREATE TABLE messages (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            channel_id bigint NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            seq bigint NOT NULL,
            author_id bigint NOT NULL REFERENCES users(id),
            content text NOT NULL,
            message_type text NOT NULL,
            file_url text,
            client_msg_id text,
            created_at timestamptz NOT NULL,
            deleted_at timestamptz,
            CONSTRAINT ux_messages_channel_seq UNIQUE (channel_id, seq));
        CREATE UNIQUE INDEX ux_messages_client_msg_id ON messages(channel_id, author_id, client_msg_id)
            WHERE client_msg_id IS NOT NULL;
        CREATE TABLE read_receipts (
            message_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            read_at timestamptz NOT NULL,
            PRIMARY KEY (message_id, user_id));
        CREATE TABLE pins (
            channel_id bigint NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            message_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            pinned_by bigint NOT NULL REFERENCES users(id),
            pinned_at timestamptz NOT NULL,
            PRIMARY KEY (channel_id, message_id));
        """,

        // 2: listing a user's DM channels matches dm_user_low (served by the pair's unique index) or dm_user_high,
        // which had no index: every such lookup by the higher-id user scanned all channels.
        """
        CREATE INDEX ix_channels_dm_user_high ON channels(dm_user_high) WHERE dm_user_high IS NOT NULL;
        """,

        // 3: users the host owns carry its id for them (a JWT's sub, the server API's externalId). Existing users have
        // none (NULL, which a unique constraint does not compare).
        """
        ALTER TABLE users ADD COLUMN external_id text CONSTRAINT ux_users_external_id UNIQUE;
        """,

        // 4: read state is one cursor per (channel, user), as in SqliteSchema's migration 4; every receipt is carried
        // over (the cursor is the highest seq among the user's read messages of the channel).
        """
        CREATE TABLE read_cursors (
            channel_id bigint NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            last_read_seq bigint NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (channel_id, user_id));
        CREATE INDEX ix_read_cursors_channel_seq ON read_cursors(channel_id, last_read_seq);
        INSERT INTO read_cursors (channel_id, user_id, last_read_seq, updated_at)
            SELECT m.channel_id, r.user_id, MAX(m.seq), MAX(r.read_at)
            FROM read_receipts r JOIN messages m ON m.id = r.message_id
            GROUP BY m.channel_id, r.user_id;
        DROP TABLE read_receipts;
        """,

        // 5: every list pages by a key, so each list query is one index range (see SqliteSchema's migration 5);
        // PostgreSQL indexes name the channel id where SQLite's carry the rowid implicitly.
        """
        CREATE INDEX ix_workspace_members_user_workspace ON workspace_members(user_id, workspace_id);
        DROP INDEX ix_workspace_members_user;
        CREATE INDEX ix_channels_workspace_id ON channels(workspace_id, id);
        DROP INDEX ix_channels_workspace;
        CREATE INDEX ix_channels_dm_user_low_id ON channels(dm_user_low, id) WHERE dm_user_low IS NOT NULL;
        CREATE INDEX ix_channels_dm_user_high_id ON channels(dm_user_high, id) WHERE dm_user_high IS NOT NULL;
        DROP INDEX ix_channels_dm_user_high;
        CREATE INDEX ix_pins_channel_order ON pins(channel_id, pinned_at, message_id);
        ALTER TABLE channels ADD COLUMN activity_at timestamptz;
        ALTER TABLE channels ADD COLUMN last_message_id bigint NOT NULL DEFAULT 0;
        UPDATE channels SET
            activity_at = COALESCE((SELECT m.created_at FROM messages m WHERE m.channel_id = channels.id AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1), created_at),
            last_message_id = COALESCE((SELECT m.id FROM messages m WHERE m.channel_id = channels.id AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1), 0);
        ALTER TABLE channels ALTER COLUMN activity_at SET NOT NULL;
        CREATE INDEX ix_channels_dm_low_activity ON channels(dm_user_low, activity_at, last_message_id, id) WHERE dm_user_low IS NOT NULL;
        CREATE INDEX ix_channels_dm_high_activity ON channels(dm_user_high, activity_at, last_message_id, id) WHERE dm_user_high IS NOT NULL;
        """,

        // 6: message edit, as in SqliteSchema's migration 6 (a nullable column: no row is rewritten).
        """
        ALTER TABLE messages ADD COLUMN edited_at timestamptz;
        """,
    ];
}
