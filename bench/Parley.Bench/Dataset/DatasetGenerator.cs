namespace Parley.Bench.Dataset;

/// <summary>
/// Lays a <see cref="DatasetShape"/> out as rows of Parley's tables around the <see cref="DatasetAccounts"/>, the same
/// for every backend (<see cref="SqliteDatasetWriter"/>, <see cref="PostgresDatasetWriter"/>): users, workspaces with
/// their members and channels, the measured channel's history with its owner's read cursor halfway, and the DM user's
/// conversations. Ids are explicit, from <see cref="DatasetStart"/> on; the columns the server keeps per channel
/// (last_seq, activity_at, last_message_id) are what its appends would have left.
/// </summary>
internal static class DatasetGenerator
{
    private const string Content = "generated message, about as long as a line of chat: the quick brown fox jumps over the lazy dog";

    private static readonly DatasetColumn[] UserColumns =
    [
        new("id", DatasetColumnKind.Integer), new("username", DatasetColumnKind.Text), new("username_normalized", DatasetColumnKind.Text),
        new("display_name", DatasetColumnKind.Text), new("role", DatasetColumnKind.Text), new("password_hash", DatasetColumnKind.Text),
        new("created_at", DatasetColumnKind.Time),
    ];

    private static readonly DatasetColumn[] WorkspaceColumns =
        [new("id", DatasetColumnKind.Integer), new("name", DatasetColumnKind.Text), new("owner_id", DatasetColumnKind.Integer), new("created_at", DatasetColumnKind.Time)];

    private static readonly DatasetColumn[] MemberColumns =
        [new("workspace_id", DatasetColumnKind.Integer), new("user_id", DatasetColumnKind.Integer), new("role", DatasetColumnKind.Text), new("joined_at", DatasetColumnKind.Time)];

    private static readonly DatasetColumn[] ChannelColumns =
    [
        new("id", DatasetColumnKind.Integer), new("workspace_id", DatasetColumnKind.Integer), new("name", DatasetColumnKind.Text), new("type", DatasetColumnKind.Text),
        new("dm_user_low", DatasetColumnKind.Integer), new("dm_user_high", DatasetColumnKind.Integer), new("last_seq", DatasetColumnKind.Integer),
        new("created_at", DatasetColumnKind.Time), new("activity_at", DatasetColumnKind.Time), new("last_message_id", DatasetColumnKind.Integer),
    ];

    private static readonly DatasetColumn[] MessageColumns =
    [
        new("id", DatasetColumnKind.Integer), new("channel_id", DatasetColumnKind.Integer), new("seq", DatasetColumnKind.Integer),
        new("author_id", DatasetColumnKind.Integer), new("content", DatasetColumnKind.Text), new("message_type", DatasetColumnKind.Text),
        new("created_at", DatasetColumnKind.Time),
    ];

    private static readonly DatasetColumn[] CursorColumns =
        [new("channel_id", DatasetColumnKind.Integer), new("user_id", DatasetColumnKind.Integer), new("last_read_seq", DatasetColumnKind.Integer), new("updated_at", DatasetColumnKind.Time)];

    public static DatasetPlan Plan(DatasetAccounts accounts, DatasetShape shape, DatasetStart ids)
    {
        long bigMessages = shape.BigChannelMessages;
        long perDm = shape.MessagesPerDm;
        // History ends a minute ago, one message a second before that; DMs come after the channel's history. Message k
        // (from 1, the channel's first, on through the DMs) has id FirstMessage + k - 1 and time Start + k seconds.
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000 - (1_000L * (bigMessages + (shape.DmConversations * perDm)));
        long Time(long message) => start + (1_000L * message);
        long User(long generated) => ids.FirstUser + generated;
        // Consecutive generated users, wrapping around: each user is in about Memberships / GeneratedUsers workspaces.
        long Owner(int workspace) => (long)workspace * shape.MembersPerWorkspace % shape.GeneratedUsers;
        long Workspace(int w) => ids.FirstWorkspace + w - 1;
        // Channel ids: the bench's workspace's other channels, then every generated workspace's, then the DMs.
        var firstDm = ids.FirstChannel + (shape.ChannelsPerWorkspace - 1) + ((long)(shape.Workspaces - 1) * shape.ChannelsPerWorkspace);
        (long Low, long High) Pair(int dm) => accounts.DmUser.Id < User(dm) ? (accounts.DmUser.Id, User(dm)) : (User(dm), accounts.DmUser.Id);
        long DmMessage(int dm, long seq) => bigMessages + (dm * perDm) + seq;

        IEnumerable<object?[]> Users()
        {
            for (var g = 0; g < shape.GeneratedUsers; g++)
            {
                var name = FormattableString.Invariant($"gen{g}");
                yield return [User(g), name, name.ToUpperInvariant(), name, "student", ids.PasswordHash, start];
            }
        }

        IEnumerable<object?[]> Workspaces()
        {
            // The bench's workspace is the first: it exists.
            for (var w = 1; w < shape.Workspaces; w++)
            {
                yield return [Workspace(w), FormattableString.Invariant($"w{w}"), User(Owner(w)), start];
            }
        }

        IEnumerable<object?[]> Members()
        {
            // The bench's workspace has its two members: fill it up to the shape.
            for (var k = 0; k < shape.MembersPerWorkspace - 2; k++)
            {
                yield return [accounts.WorkspaceId, User(k), "member", start];
            }
            for (var w = 1; w < shape.Workspaces; w++)
            {
                for (var k = 0; k < shape.MembersPerWorkspace; k++)
                {
                    yield return [Workspace(w), User((Owner(w) + k) % shape.GeneratedUsers), k == 0 ? "owner" : "member", start];
                }
            }
        }

        IEnumerable<object?[]> Channels()
        {
            var next = ids.FirstChannel;
            // The measured channel is the first of the bench's workspace: it exists.
            for (var c = 1; c < shape.ChannelsPerWorkspace; c++)
            {
                yield return [next++, accounts.WorkspaceId, FormattableString.Invariant($"c{c}"), "text", null, null, 0L, start, start, 0L];
            }
            for (var w = 1; w < shape.Workspaces; w++)
            {
                for (var c = 0; c < shape.ChannelsPerWorkspace; c++)
                {
                    yield return [next++, Workspace(w), FormattableString.Invariant($"c{c}"), "text", null, null, 0L, start, start, 0L];
                }
            }
            for (var d = 0; d < shape.DmConversations; d++)
            {
                var (low, high) = Pair(d);
                var last = DmMessage(d, perDm);
                yield return [firstDm + d, null, FormattableString.Invariant($"dm-{low}-{high}"), "dm", low, high, perDm, Time(DmMessage(d, 0)), Time(last), ids.FirstMessage + last - 1];
            }
        }

        IEnumerable<object?[]> Messages()
        {
            // The measured channel: every message by the sender (the owner's own messages would be skipped by the
            // unread count, not counted).
            for (long seq = 1; seq <= bigMessages; seq++)
            {
                yield return [ids.FirstMessage + seq - 1, accounts.ChannelId, seq, accounts.Sender.Id, Content, "text", Time(seq)];
            }
            // Each DM alternates authors.
            for (var d = 0; d < shape.DmConversations; d++)
            {
                for (long seq = 1; seq <= perDm; seq++)
                {
                    var k = DmMessage(d, seq);
                    yield return [ids.FirstMessage + k - 1, firstDm + d, seq, seq % 2 == 1 ? User(d) : accounts.DmUser.Id, Content, "text", Time(k)];
                }
            }
        }

        var ownerRead = bigMessages / 2;
        IEnumerable<object?[]> Cursors()
        {
            // The owner has read half of the measured channel, the sender (an author who read everything) all of it;
            // the DM user half of each DM, the partner all of it.
            yield return [accounts.ChannelId, accounts.Owner.Id, ownerRead, Time(bigMessages)];
            yield return [accounts.ChannelId, accounts.Sender.Id, bigMessages, Time(bigMessages)];
            for (var d = 0; d < shape.DmConversations; d++)
            {
                var at = Time(DmMessage(d, perDm));
                yield return [firstDm + d, accounts.DmUser.Id, perDm / 2, at];
                yield return [firstDm + d, User(d), perDm, at];
            }
        }

        DatasetTable[] tables =
        [
            new("users", UserColumns, Users()),
            new("workspaces", WorkspaceColumns, Workspaces()),
            new("workspace_members", MemberColumns, Members()),
            new("channels", ChannelColumns, Channels()),
            new("messages", MessageColumns, Messages()),
            new("read_cursors", CursorColumns, Cursors()),
        ];
        return new DatasetPlan(tables, accounts.ChannelId, bigMessages, Time(bigMessages), ids.FirstMessage + bigMessages - 1,
            new DatasetLandmarks(ids.FirstMessage, bigMessages, ownerRead));
    }
}
