using Parley.Server.Storage;

namespace Parley.Server.Tests.Storage;

/// <summary>The shared list and read-state queries whose plans the query plan tests check, with parameters for each.</summary>
public static class QueryPlanCases
{
    public static readonly IReadOnlyList<string> Names =
    [
        nameof(SharedSql.WorkspacesOfUser), nameof(SharedSql.ChannelsOfWorkspace), nameof(SharedSql.MembersOfWorkspace),
        nameof(SharedSql.ChannelsOfWorkspacesOfUser), nameof(SharedSql.DmChannels), "Conversations", "ConversationsWithKey", "Pins", "PinsWithKey",
        nameof(SharedSql.CursorsReaching), nameof(SharedSql.CountUnread), nameof(SharedSql.RecomputeActivity),
        nameof(SharedSql.SeqBeforeNewest), nameof(SharedSql.DmChannelOfPair),
        nameof(SharedSql.UsersSharingWorkspace),
    ];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>The query's text and its positional parameters ($1, $2, …): ids, limits and, where it compares times, a time.</summary>
    public static (string Sql, object[] Parameters) Get(string name)
    {
        var at = new DateTime(2026, 11, 26, 17, 3, 0, DateTimeKind.Utc);
        return name switch
        {
            nameof(SharedSql.WorkspacesOfUser) => (SharedSql.WorkspacesOfUser, [7L, 7L, 51L]),
            nameof(SharedSql.ChannelsOfWorkspace) => (SharedSql.ChannelsOfWorkspace, [7L, 7L, 51L]),
            nameof(SharedSql.MembersOfWorkspace) => (SharedSql.MembersOfWorkspace, [7L, 7L, 51L]),
            nameof(SharedSql.ChannelsOfWorkspacesOfUser) => (SharedSql.ChannelsOfWorkspacesOfUser, [7L, 101L, 201L]),
            nameof(SharedSql.DmChannels) => (SharedSql.DmChannels, [7L, 7L, 51L]),
            "Conversations" => (SharedSql.Conversations(withKey: false), [7L, 51L, 1000L]),
            "ConversationsWithKey" => (SharedSql.Conversations(withKey: true), [7L, 51L, 1000L, at, 7L, 7L]),
            "Pins" => (SharedSql.Pins(withKey: false), [7L, 51L]),
            "PinsWithKey" => (SharedSql.Pins(withKey: true), [7L, 51L, at, 7L]),
            nameof(SharedSql.CursorsReaching) => (SharedSql.CursorsReaching, [7L, 7L]),
            nameof(SharedSql.CountUnread) => (SharedSql.CountUnread, [7L, 7L, 1000L]),
            nameof(SharedSql.RecomputeActivity) => (SharedSql.RecomputeActivity, [7L]),
            nameof(SharedSql.DmChannelOfPair) => (SharedSql.DmChannelOfPair, [7L, 8L]),
            nameof(SharedSql.SeqBeforeNewest) => (SharedSql.SeqBeforeNewest, [7L, 7L, 1_000_000L, 1000L]),
            nameof(SharedSql.UsersSharingWorkspace) => (SharedSql.UsersSharingWorkspace, [7L, 7L, "%ANA%", 51L]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
