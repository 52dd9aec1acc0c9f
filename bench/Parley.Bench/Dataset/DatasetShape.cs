namespace Parley.Bench.Dataset;

/// <summary>
/// How much data the generator writes besides the bench's own accounts (<see cref="DatasetAccounts"/>). The bench's
/// workspace counts as the first of <see cref="Workspaces"/> and the measured channel as the first of its channels.
/// </summary>
internal sealed record DatasetShape(
    string Name,
    int GeneratedUsers,
    int Workspaces,
    int MembersPerWorkspace,
    int ChannelsPerWorkspace,
    int BigChannelMessages,
    int DmConversations,
    int MessagesPerDm)
{
    /// <summary>
    /// The shape of issue 16 at <paramref name="scale"/> (1 = 100,000 users; 10,000 workspaces of 100 members;
    /// 101,000 channels; one channel of 1,000,000 messages, half read by its owner; 1,000 DMs of one user with 10
    /// messages each). Members and channels per workspace and messages per DM stay as they are, so a fraction of it is
    /// the same kind of database, smaller.
    /// </summary>
    public static DatasetShape Big(double scale)
    {
        int Scaled(int full) => Math.Max(1, (int)Math.Round(full * scale));
        return new("big", Scaled(100_000) - DatasetAccounts.Count, Scaled(10_000), 100, 10, Scaled(1_000_000), Scaled(1_000), 10);
    }

    /// <summary>
    /// The "empty" database: freshly migrated, the bench's accounts, its workspace and channel, and only as much as
    /// the measured operations read, so that they do the same work on both: a channel of 2,000 messages with half
    /// read (the unread count reaches its cap of 1,000, as on the big one; the history page and the replay find
    /// their messages) and one page (50) of DM conversations of 10 messages.
    /// </summary>
    public static DatasetShape Empty { get; } = new("empty", 50, 1, 2, 1, 2_000, 50, 10);

    public int Channels => (Workspaces * ChannelsPerWorkspace) + DmConversations;

    public long Memberships => (long)Workspaces * MembersPerWorkspace;

    public int Users => GeneratedUsers + DatasetAccounts.Count;

    public string Describe() => FormattableString.Invariant(
        $"{Users:#,0} users; {Workspaces:#,0} workspace{(Workspaces == 1 ? "" : "s")} of {MembersPerWorkspace} members ({Memberships:#,0} memberships); {Channels:#,0} channels; one channel of {BigChannelMessages:#,0} messages, half read by its owner; {DmConversations:#,0} DMs of one user with {MessagesPerDm} messages each");
}
