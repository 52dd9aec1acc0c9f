using System.Net;
using System.Text.Json;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// The HTTP lists page: <c>limit</c> (default 50, clamped to 1..200) and <c>cursor</c> in; the body stays a JSON array
/// and the next page is named by <c>X-Next-Cursor</c> and <c>Link: &lt;…&gt;; rel="next"</c>.
/// </summary>
public sealed class ListPagingTests(UnlimitedSendServer server) : HttpTestBase(server), IClassFixture<UnlimitedSendServer>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PagingThroughWorkspacesReturnsEveryOneOnceInOrder()
    {
        var ana = await UserAsync("ana");
        var created = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await ana.CreateWorkspaceAsync($"w{i}"));
        }

        var (items, pages) = await FollowAsync(ana, "/api/workspaces", 2);

        Assert.Equal(created, items.Select(Id));
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ChannelsMembersDmsAndPinsPageLikeTheirWholeList()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var others = new List<ApiClient>();
        for (var i = 0; i < 3; i++)
        {
            var other = await UserAsync("member");
            others.Add(other);
            await ana.AddMemberAsync(workspace, other.UserId);
            await ana.OpenDmAsync(other.UserId);
        }
        var channel = await ana.CreateChannelAsync(workspace, "c0");
        for (var i = 1; i < 5; i++)
        {
            await ana.CreateChannelAsync(workspace, $"c{i}");
        }
        for (var i = 0; i < 5; i++)
        {
            var message = await ana.SendMessageIdAsync(channel, $"pin me {i}");
            Assert.Equal(HttpStatusCode.Created, (await ana.PostAsync($"/api/channels/{channel}/pin/{message}")).Status);
        }

        foreach (var (path, key) in new (string, Func<JsonElement, long>)[]
        {
            ($"/api/workspaces/{workspace}/channels", Id),
            ($"/api/workspaces/{workspace}/members", m => m.GetProperty("userId").GetInt64()),
            ("/api/users/me/dms", Id),
            ($"/api/channels/{channel}/pinned", Id),
        })
        {
            var (whole, wholePages) = await FollowAsync(ana, path, 200);
            var (paged, pages) = await FollowAsync(ana, path, 2);

            Assert.Equal(1, wholePages);
            Assert.True(whole.Count >= 3, path);
            Assert.Equal(whole.Select(key), paged.Select(key));
            Assert.Equal((whole.Count + 1) / 2, pages);
        }
        var (members, _) = await FollowAsync(ana, $"/api/workspaces/{workspace}/members", 1);
        Assert.Equal(new[] { ana.UserId }.Concat(others.Select(o => o.UserId)), members.Select(m => m.GetProperty("userId").GetInt64()));
    }

    [Fact]
    public async Task ConversationsPageNewestActivityFirst()
    {
        var ana = await UserAsync("ana");
        var partners = new List<ApiClient>();
        for (var i = 0; i < 5; i++)
        {
            var partner = await UserAsync("partner");
            partners.Add(partner);
            await ana.SendMessageAsync(await ana.OpenDmAsync(partner.UserId), $"hello {i}");
        }
        // A new message in the second conversation makes it the newest; one from the partner is unread for ana.
        await partners[1].SendMessageAsync(await partners[1].OpenDmAsync(ana.UserId), "back to you");

        var (items, pages) = await FollowAsync(ana, "/api/messagepal/conversations", 2);

        var expected = new[] { partners[1], partners[4], partners[3], partners[2], partners[0] }
            .Select(p => $"conv_{Math.Min(ana.UserId, p.UserId)}_{Math.Max(ana.UserId, p.UserId)}");
        Assert.Equal(expected, items.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(3, pages);
        Assert.Equal("back to you", items[0].GetProperty("lastMessage").GetProperty("content").GetString());
        Assert.Equal(1, items[0].GetProperty("unreadCount").GetInt32());
        Assert.Equal(0, items[1].GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task LimitIsClampedAndDefaultsToFifty()
    {
        var ana = await UserAsync("ana");
        for (var i = 0; i < 52; i++)
        {
            await ana.CreateWorkspaceAsync($"w{i}");
        }

        var (tiny, tinyNext) = await PageAsync(ana, "/api/workspaces?limit=0");
        var (negative, _) = await PageAsync(ana, "/api/workspaces?limit=-5");
        var (huge, hugeNext) = await PageAsync(ana, "/api/workspaces?limit=100000");
        var (byDefault, defaultNext) = await PageAsync(ana, "/api/workspaces");

        Assert.Single(tiny.EnumerateArray());
        Assert.NotNull(tinyNext);
        Assert.Single(negative.EnumerateArray());
        Assert.Equal(52, huge.GetArrayLength());
        Assert.Null(hugeNext);
        Assert.Equal(50, byDefault.GetArrayLength());
        var (rest, restNext) = await PageAsync(ana, $"/api/workspaces?cursor={Uri.EscapeDataString(defaultNext!)}");
        Assert.Equal(2, rest.GetArrayLength());
        Assert.Null(restNext);
    }

    [Fact]
    public async Task BadCursorsAndLimitsAre400()
    {
        var ana = await UserAsync("ana");
        var workspace = await ana.CreateWorkspaceAsync();
        var channel = await ana.CreateChannelAsync(workspace);
        var lists = new[]
        {
            "/api/workspaces", $"/api/workspaces/{workspace}/channels", $"/api/workspaces/{workspace}/members",
            "/api/users/me/dms", $"/api/channels/{channel}/pinned", "/api/messagepal/conversations",
        };

        foreach (var list in lists)
        {
            foreach (var query in new[] { "cursor=abc", "cursor=-1", "cursor=1_2_3_4", "cursor=%201", "limit=ten", "limit=1.5" })
            {
                ApiAssert.Error(HttpStatusCode.BadRequest, await ana.GetAsync($"{list}?{query}"));
            }
        }
    }

    private static long Id(JsonElement item) => item.GetProperty("id").GetInt64();

    private static async Task<(JsonElement Body, string? Next)> PageAsync(ApiClient client, string path)
    {
        using var response = await client.Http.GetAsync(path).WaitAsync(RequestTimeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var next = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
        if (next is not null)
        {
            var link = response.Headers.GetValues("Link").Single();
            Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
            Assert.Contains($"cursor={Uri.EscapeDataString(next)}", link, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(response.Headers.Contains("Link"));
        }
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        return (document.RootElement.Clone(), next);
    }

    private static async Task<(List<JsonElement> Items, int Pages)> FollowAsync(ApiClient client, string path, int limit)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var (body, next) = await PageAsync(client, $"{path}?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.InRange(body.GetArrayLength(), next is null ? 0 : limit, limit);
            items.AddRange(body.EnumerateArray());
            pages++;
            cursor = next;
            Assert.True(pages < 100, "the pages never end");
        }
        while (cursor is not null);
        return (items, pages);
    }
}
