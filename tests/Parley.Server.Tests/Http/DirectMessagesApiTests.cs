using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>POST /api/channels/dm and GET /api/users/me/dms; a DM channel belongs to its two users alone.</summary>
public sealed class DirectMessagesApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    [Fact]
    public async Task OpeningADmIs201WithThePartner()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");

        var (status, dm) = await ana.PostAsync("/api/channels/dm", new { userId = ben.UserId });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("dm", dm.GetProperty("type").GetString());
        var partner = dm.GetProperty("partner");
        Assert.Equal(ben.UserId, partner.GetProperty("id").GetInt64());
        Assert.Equal(ben.Username, partner.GetProperty("username").GetString());
        Assert.Equal("student", partner.GetProperty("role").GetString());
    }

    [Fact]
    public async Task OpeningAgainFromEitherSideGivesTheSameChannel()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var (_, first) = await ana.PostAsync("/api/channels/dm", new { userId = ben.UserId });

        var (againStatus, again) = await ana.PostAsync("/api/channels/dm", new { userId = ben.UserId });
        var (reverseStatus, reverse) = await ben.PostAsync("/api/channels/dm", new { userId = ana.UserId });

        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(HttpStatusCode.OK, reverseStatus);
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(first.GetProperty("id").GetInt64(), reverse.GetProperty("id").GetInt64());
        Assert.Equal(ana.UserId, reverse.GetProperty("partner").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ConcurrentOpensFromBothSidesMakeOneChannel()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");

        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0 ? ana.OpenDmAsync(ben.UserId) : ben.OpenDmAsync(ana.UserId)));

        Assert.Single(ids.Distinct());
        var (_, dms) = await ana.GetAsync("/api/users/me/dms");
        Assert.Single(dms.EnumerateArray());
    }

    [Fact]
    public async Task DmWithYourselfIs400()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/channels/dm", new { userId = ana.UserId }));
    }

    [Fact]
    public async Task DmWithAnUnknownUserIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.PostAsync("/api/channels/dm", new { userId = 999999 }));
    }

    [Fact]
    public async Task DmWithoutUserIdIs400()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.BadRequest, await ana.PostAsync("/api/channels/dm", new { }));
    }

    [Fact]
    public async Task DmListShowsEachChannelWithItsPartner()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var carl = await UserAsync("carl");
        var withBen = await ana.OpenDmAsync(ben.UserId);
        var withCarl = await carl.OpenDmAsync(ana.UserId);
        await ben.OpenDmAsync(carl.UserId);

        var (status, dms) = await ana.GetAsync("/api/users/me/dms");

        Assert.Equal(HttpStatusCode.OK, status);
        var partners = dms.EnumerateArray().ToDictionary(d => d.GetProperty("id").GetInt64(), d => d.GetProperty("partner").GetProperty("id").GetInt64());
        Assert.Equal(new Dictionary<long, long> { [withBen] = ben.UserId, [withCarl] = carl.UserId }, partners);
    }

    [Fact]
    public async Task BothUsersWriteAndReadTheDm()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var dm = await ana.OpenDmAsync(ben.UserId);

        var hello = await ana.SendMessageIdAsync(dm, "hi ben");
        await ben.SendMessageAsync(dm, "hi ana");

        Assert.Equal(["hi ben", "hi ana"], (await ben.HistoryAsync(dm)).Select(m => m.GetProperty("content").GetString()));
        Assert.Equal(1, await ben.UnreadAsync(dm));
        Assert.Equal(HttpStatusCode.OK, (await ben.PostAsync($"/api/messages/{hello}/read")).Status);
        Assert.Equal(0, await ben.UnreadAsync(dm));
    }

    [Fact]
    public async Task ThirdUserCannotReadOrTouchTheDm()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var eve = await UserAsync("eve");
        var dm = await ana.OpenDmAsync(ben.UserId);
        var secret = await ana.SendMessageIdAsync(dm, "just between us");
        await ana.PostAsync($"/api/channels/{dm}/pin/{secret}");

        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{dm}/messages"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{dm}/unread"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{dm}/pinned"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.PostAsync("/api/messages", new { channelId = dm, content = "hi both" }));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.PostAsync($"/api/channels/{dm}/pin/{secret}"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.DeleteAsync($"/api/channels/{dm}/pin/{secret}"));
        // Message ids name no channel; to an outsider the message does not exist.
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.DeleteAsync($"/api/messages/{secret}"));
        ApiAssert.Error(HttpStatusCode.NotFound, await eve.PostAsync($"/api/messages/{secret}/read"));

        var history = Assert.Single(await ben.HistoryAsync(dm));
        Assert.Equal(secret, history.GetProperty("id").GetInt64());
        Assert.Empty(history.GetProperty("readBy").EnumerateArray());
        Assert.Equal(1, await ben.UnreadAsync(dm));
        var (_, pinned) = await ben.GetAsync($"/api/channels/{dm}/pinned");
        Assert.Single(pinned.EnumerateArray());
        var (_, eveDms) = await eve.GetAsync("/api/users/me/dms");
        Assert.Empty(eveDms.EnumerateArray());
    }

    [Fact]
    public async Task ThirdUserCannotJoinTheDmSocket()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var eve = await UserAsync("eve");
        var dm = await ana.OpenDmAsync(ben.UserId);
        await using var socket = await TestSocket.ConnectAsync(Server, "/ws/chat", eve);

        await socket.SendAsync(new { type = "join_channel", channelId = dm });

        var error = await socket.WaitForAsync("error");
        Assert.Equal("Access denied to this DM.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DmPartnerCannotDeleteTheOthersMessage()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var dm = await ana.OpenDmAsync(ben.UserId);
        var message = await ana.SendMessageIdAsync(dm, "mine");

        ApiAssert.Error(HttpStatusCode.Forbidden, await ben.DeleteAsync($"/api/messages/{message}"));
        Assert.Equal(HttpStatusCode.NoContent, (await ana.DeleteAsync($"/api/messages/{message}")).Status);
    }
}
