using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>GET /api/channels/:id/messages?limit=&amp;before=: the newest page older than <c>before</c>, oldest first.</summary>
public sealed class HistoryApiTests(UnlimitedSendServer server) : HttpTestBase(server), IClassFixture<UnlimitedSendServer>
{
    private static async Task<long[]> FillAsync(ApiClient client, long channel, int count)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await client.SendMessageIdAsync(channel, $"m{i + 1}");
        }
        return ids;
    }

    private static long[] Ids(JsonElement[] messages) => [.. messages.Select(m => m.GetProperty("id").GetInt64())];

    private async Task<(ApiClient Ana, long Channel)> ChannelAsync()
    {
        var ana = await UserAsync("ana");
        return (ana, await ana.CreateChannelAsync(await ana.CreateWorkspaceAsync()));
    }

    [Fact]
    public async Task EmptyChannelHasEmptyHistory()
    {
        var (ana, channel) = await ChannelAsync();

        Assert.Empty(await ana.HistoryAsync(channel));
    }

    [Fact]
    public async Task DefaultIsThe50NewestInChronologicalOrder()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 120);

        var page = await ana.HistoryAsync(channel);

        Assert.Equal(ids[70..], Ids(page));
        Assert.Equal("m71", page[0].GetProperty("content").GetString());
        Assert.Equal("m120", page[^1].GetProperty("content").GetString());
        Assert.Equal(Enumerable.Range(71, 50).Select(i => (long)i), page.Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task LimitOver100IsClampedTo100()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 120);

        Assert.Equal(ids[20..], Ids(await ana.HistoryAsync(channel, "?limit=500")));
        Assert.Equal(ids[20..], Ids(await ana.HistoryAsync(channel, "?limit=101")));
        Assert.Equal(ids[20..], Ids(await ana.HistoryAsync(channel, "?limit=100")));
    }

    [Fact]
    public async Task SmallLimitGivesTheNewestFew()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 10);

        Assert.Equal(ids[7..], Ids(await ana.HistoryAsync(channel, "?limit=3")));
        Assert.Equal(ids[9..], Ids(await ana.HistoryAsync(channel, "?limit=1")));
    }

    [Fact]
    public async Task BeforeGivesTheMessagesOlderThanThatId()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 30);

        var page = await ana.HistoryAsync(channel, $"?limit=10&before={ids[20]}");

        Assert.Equal(ids[10..20], Ids(page));
    }

    [Fact]
    public async Task BeforeNearTheStartGivesWhatIsLeft()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 10);

        Assert.Equal(ids[..3], Ids(await ana.HistoryAsync(channel, $"?limit=50&before={ids[3]}")));
        Assert.Empty(await ana.HistoryAsync(channel, $"?before={ids[0]}"));
    }

    [Fact]
    public async Task PagingBackwardsWalksTheWholeChannelWithoutGapsOrRepeats()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 57);

        var seen = new List<long>();
        var query = "?limit=20";
        for (var pages = 0; pages < 10; pages++)
        {
            var page = Ids(await ana.HistoryAsync(channel, query));
            if (page.Length == 0)
            {
                break;
            }
            seen.InsertRange(0, page);
            query = $"?limit=20&before={page[0]}";
        }

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task DeletedMessagesAreLeftOut()
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 5);

        await ana.DeleteAsync($"/api/messages/{ids[2]}");

        Assert.Equal([ids[0], ids[1], ids[3], ids[4]], Ids(await ana.HistoryAsync(channel)));
        Assert.Equal([ids[0], ids[1]], Ids(await ana.HistoryAsync(channel, $"?before={ids[3]}")));
        Assert.Equal([ids[0], ids[1]], Ids(await ana.HistoryAsync(channel, $"?before={ids[2]}")));
    }

    [Fact]
    public async Task BeforeAMessageOfAnotherChannelGivesNothing()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        await FillAsync(ana, channel, 3);
        var other = await ana.CreateChannelAsync(workspace, "other");
        var foreign = await ana.SendMessageIdAsync(other, "elsewhere");

        Assert.Empty(await ana.HistoryAsync(channel, $"?before={foreign}"));
    }

    [Theory]
    [InlineData("?limit=ten")]
    [InlineData("?before=abc")]
    [InlineData("?limit=1.5")]
    public async Task NonIntegerLimitOrBeforeIs400(string query)
    {
        var (ana, channel) = await ChannelAsync();

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.GetAsync($"/api/channels/{channel}/messages{query}"));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=-5")]
    public async Task LimitBelowOneStillGivesAPage(string query)
    {
        var (ana, channel) = await ChannelAsync();
        var ids = await FillAsync(ana, channel, 3);

        Assert.Equal(ids[2..], Ids(await ana.HistoryAsync(channel, query)));
    }

    [Fact]
    public async Task HistoryOfAnUnknownChannelIs404()
    {
        var (ana, _) = await ChannelAsync();

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.GetAsync("/api/channels/999999/messages"));
    }

    [Fact]
    public async Task HistoryIsForReadersOnly()
    {
        var (ana, channel) = await ChannelAsync();
        await FillAsync(ana, channel, 2);
        var eve = await UserAsync("eve");

        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{channel}/messages"));
    }
}
