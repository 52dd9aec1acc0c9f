namespace Parley.Server.Storage;

/// <summary>
/// The list and read-state queries whose text both backends share: positional parameters (<c>$1</c>, … are names
/// SQLite accepts too), times compared as parameters of the backend's own time type. Every one reads index ranges
/// stopped by LIMIT or by the key, so a page costs the same on the first page and the thousandth, whatever the
/// history; the query plan tests hold them to it.
/// </summary>
internal static class SharedSql
{
    public const string WorkspaceColumns = "w.id, w.name, w.description, w.owner_id, w.created_at";

    /// <summary>$1 user, $2 after workspace id, $3 limit.</summary>
    public const string WorkspacesOfUser =
        $"SELECT {WorkspaceColumns} FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id " +
        "WHERE m.user_id = $1 AND m.workspace_id > $2 ORDER BY m.workspace_id LIMIT $3";

    /// <summary>$1 workspace, $2 after channel id, $3 limit.</summary>
    public const string ChannelsOfWorkspace =
        $"SELECT {ChannelColumns} FROM channels WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3";

    /// <summary>
    /// $1 user, $2 most workspaces, $3 most channels per workspace: the first channels of the user's first workspaces
    /// (both by id), by workspace then channel. One statement for a whole READY.
    /// </summary>
    public const string ChannelsOfWorkspacesOfUser =
        $"SELECT {ChannelColumns} FROM (SELECT {ChannelColumns}, ROW_NUMBER() OVER (PARTITION BY workspace_id ORDER BY id) AS n FROM channels " +
        "WHERE workspace_id IN (SELECT workspace_id FROM workspace_members WHERE user_id = $1 ORDER BY workspace_id LIMIT $2)) ranked " +
        "WHERE n <= $3 ORDER BY workspace_id, id";

    /// <summary>$1 workspace, $2 after user id, $3 limit.</summary>
    public const string MembersOfWorkspace =
        "SELECT m.workspace_id, m.user_id, m.role, u.username, u.display_name FROM workspace_members m JOIN users u ON u.id = m.user_id " +
        "WHERE m.workspace_id = $1 AND m.user_id > $2 ORDER BY m.user_id LIMIT $3";

    /// <summary>
    /// $1 caller, $2 after user id, $3 LIKE pattern (upper case, <c>\</c> escapes), $4 limit: users other than the caller
    /// who share a workspace with them and whose username or display name matches, by user id. CROSS JOIN fixes the
    /// join order on SQLite (PostgreSQL plans it as an inner join): the caller's memberships (index on user_id), then
    /// each of those workspaces' members (primary key range), then each candidate's row by id; the users table is
    /// never scanned, so the cost is the members of the caller's workspaces, whatever the number of users.
    /// </summary>
    public const string UsersSharingWorkspace =
        "SELECT DISTINCT u.id, u.username, u.display_name, u.role, '', u.created_at " +
        "FROM workspace_members mine CROSS JOIN workspace_members other CROSS JOIN users u " +
        "WHERE mine.user_id = $1 AND other.workspace_id = mine.workspace_id AND other.user_id > $2 AND other.user_id <> $1 " +
        "AND u.id = other.user_id AND (u.username_normalized LIKE $3 ESCAPE '\\' OR upper(u.display_name) LIKE $3 ESCAPE '\\') " +
        "ORDER BY u.id LIMIT $4";

    /// <summary>$1 channel, $2 lowest seq of the page: the cursors that reach the page, by user id.</summary>
    public const string CursorsReaching =
        "SELECT user_id, last_read_seq FROM read_cursors WHERE channel_id = $1 AND last_read_seq >= $2 ORDER BY user_id";

    /// <summary>
    /// $1 channel, $2 user, $3 limit: others' messages after the user's cursor that are not deleted, counted up to
    /// the limit. The (channel_id, seq) index gives the messages after the cursor in order; LIMIT stops the walk.
    /// ORDER BY seq holds PostgreSQL's planner to that walk: for a channel that holds most of the table's messages its
    /// statistics say any stretch of the table is full of the channel's unread messages, and without an order it scanned
    /// the table from its start, through all the read history (50,000 rows of a 100,000-message channel read halfway).
    /// </summary>
    public const string CountUnread =
        "SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE m.channel_id = $1 " +
        "AND m.seq > COALESCE((SELECT last_read_seq FROM read_cursors WHERE channel_id = $1 AND user_id = $2), 0) " +
        "AND m.deleted_at IS NULL AND m.author_id <> $2 ORDER BY m.seq LIMIT $3) unread";

    /// <summary>
    /// $1 channel, $2 after seq, $3 up to seq, $4 how many to keep: the seq of the newest message, not deleted, with
    /// $2 &lt; seq ≤ $3 that is older than the $4 newest such messages (no row when there are at most $4). The
    /// (channel_id, seq) index is walked down from $3 and stops after $4 + 1 entries, whatever the history.
    /// </summary>
    public const string SeqBeforeNewest =
        "SELECT seq FROM messages WHERE channel_id = $1 AND seq > $2 AND seq <= $3 AND deleted_at IS NULL " +
        "ORDER BY seq DESC LIMIT 1 OFFSET $4";

    /// <summary>
    /// $1 deleted message: when it was its channel's newest, the channel's activity falls back to the newest message
    /// still there (or the channel's creation).
    /// </summary>
    public const string RecomputeActivity =
        "UPDATE channels SET " +
        "activity_at = COALESCE((SELECT m.created_at FROM messages m WHERE m.channel_id = channels.id AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1), created_at), " +
        "last_message_id = COALESCE((SELECT m.id FROM messages m WHERE m.channel_id = channels.id AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1), 0) " +
        "WHERE id = (SELECT channel_id FROM messages WHERE id = $1) AND last_message_id = $1";

    public const string ChannelColumns = "id, workspace_id, name, type, subject, dm_user_low, dm_user_high, last_seq, created_at";

    /// <summary>$1 the lower user id, $2 the higher: the pair's DM channel, one entry of the pair's unique index.</summary>
    public const string DmChannelOfPair = $"SELECT {ChannelColumns} FROM channels WHERE dm_user_low = $1 AND dm_user_high = $2";

    /// <summary>The channel columns (0-8), then the partner's user columns (9-14); the password hash stays in the database.</summary>
    private const string DmColumns =
        "c.id, c.workspace_id, c.name, c.type, c.subject, c.dm_user_low, c.dm_user_high, c.last_seq, c.created_at, " +
        "p.id, p.username, p.display_name, p.role, '', p.created_at";

    /// <summary>
    /// $1 user, $2 after channel id, $3 limit: the user's DM channels by id. One index range per side of the pair
    /// (the user is the lower or the higher id), each stopped at the limit, merged.
    /// </summary>
    public const string DmChannels =
        $"SELECT {DmColumns} FROM (" +
        $"SELECT * FROM (SELECT {ChannelColumns}, dm_user_high AS partner_id FROM channels WHERE dm_user_low = $1 AND id > $2 ORDER BY id LIMIT $3) low_side " +
        $"UNION ALL SELECT * FROM (SELECT {ChannelColumns}, dm_user_low AS partner_id FROM channels WHERE dm_user_high = $1 AND id > $2 ORDER BY id LIMIT $3) high_side" +
        ") c JOIN users p ON p.id = c.partner_id ORDER BY c.id LIMIT $3";

    /// <summary>
    /// $1 user, $2 limit, $3 unread limit, and with a key $4 activity time, $5 last message id, $6 channel id: the
    /// user's conversations strictly below the key in newest-activity order. Columns: <see cref="DmColumns"/>, then
    /// activity (15), last message id (16), the newest message (17-26, null when none), the user's and the partner's
    /// read cursors (27, 28), the capped unread count (29) and the newest message's edit time (30).
    /// </summary>
    public static string Conversations(bool withKey)
    {
        var below = withKey ? "AND (activity_at, last_message_id, id) < ($4, $5, $6) " : "";
        string Side(string user, string partner, string alias) =>
            $"SELECT * FROM (SELECT {ChannelColumns}, activity_at, last_message_id, {partner} AS partner_id FROM channels " +
            $"WHERE {user} = $1 {below}ORDER BY activity_at DESC, last_message_id DESC, id DESC LIMIT $2) {alias}";
        return
            $"SELECT {DmColumns}, c.activity_at, c.last_message_id, " +
            "lm.id, lm.channel_id, lm.seq, lm.author_id, la.username, lm.content, lm.message_type, lm.file_url, lm.client_msg_id, lm.created_at, " +
            "mine.last_read_seq, theirs.last_read_seq, " +
            "(SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE m.channel_id = c.id AND m.seq > COALESCE(mine.last_read_seq, 0) " +
            "AND m.deleted_at IS NULL AND m.author_id <> $1 ORDER BY m.seq LIMIT $3) unread), lm.edited_at " +
            // The page is cut before the joins: each side brings up to a page of candidates, and only the page's
            // conversations are joined to their partner, newest message, cursors and unread count.
            $"FROM (SELECT * FROM ({Side("dm_user_low", "dm_user_high", "low_side")} UNION ALL {Side("dm_user_high", "dm_user_low", "high_side")}) sides " +
            "ORDER BY activity_at DESC, last_message_id DESC, id DESC LIMIT $2) c " +
            "JOIN users p ON p.id = c.partner_id " +
            "LEFT JOIN messages lm ON lm.id = c.last_message_id LEFT JOIN users la ON la.id = lm.author_id " +
            "LEFT JOIN read_cursors mine ON mine.channel_id = c.id AND mine.user_id = $1 " +
            "LEFT JOIN read_cursors theirs ON theirs.channel_id = c.id AND theirs.user_id = c.partner_id " +
            "ORDER BY c.activity_at DESC, c.last_message_id DESC, c.id DESC LIMIT $2";
    }

    /// <summary>
    /// $1 channel, $2 limit, and with a key $3 pin time, $4 message id: pinned messages not deleted, in pin order,
    /// strictly after the key. Columns: a message as the stores' message select (0-11), then the pin time (12).
    /// </summary>
    public static string Pins(bool withKey) =>
        "SELECT m.id, m.channel_id, m.seq, m.author_id, u.username, m.content, m.message_type, m.file_url, m.client_msg_id, m.created_at, m.deleted_at IS NOT NULL, m.edited_at, p.pinned_at " +
        "FROM pins p JOIN messages m ON m.id = p.message_id JOIN users u ON u.id = m.author_id " +
        $"WHERE p.channel_id = $1 {(withKey ? "AND (p.pinned_at, p.message_id) > ($3, $4) " : "")}AND m.deleted_at IS NULL ORDER BY p.pinned_at, p.message_id LIMIT $2";
}
