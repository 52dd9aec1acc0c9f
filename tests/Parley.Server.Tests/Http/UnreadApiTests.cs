using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>GET /api/channels/:id/unread: messages of others the caller has not marked read.</summary>
public sealed class UnreadApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private async Task<(ApiClient Ana, ApiClient Ben, long Channel)> ChannelAsync()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        return (ana, ben, await ana.CreateChannelAsync(workspace));
    }

    [Fact]
    public async Task NewChannelHasNothingUnread()
    {
        var (ana, ben, channel) = await ChannelAsync();

        var (status, body) = await ben.GetAsync($"/api/channels/{channel}/unread");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("unreadCount").GetInt32());
        Assert.Equal(0, await ana.UnreadAsync(channel));
    }

    [Fact]
    public async Task OthersMessagesCountOwnMessagesDoNot()
    {
        var (ana, ben, channel) = await ChannelAsync();
        await ana.SendMessageAsync(channel, "1");
        await ana.SendMessageAsync(channel, "2");
        await ana.SendMessageAsync(channel, "3");
        await ben.SendMessageAsync(channel, "mine");

        Assert.Equal(3, await ben.UnreadAsync(channel));
        Assert.Equal(1, await ana.UnreadAsync(channel));
    }

    [Fact]
    public async Task MarkingReadLowersTheCountOnce()
    {
        var (ana, ben, channel) = await ChannelAsync();
        var first = await ana.SendMessageIdAsync(channel, "1");
        await ana.SendMessageAsync(channel, "2");

        await ben.PostAsync($"/api/messages/{first}/read");
        await ben.PostAsync($"/api/messages/{first}/read");

        Assert.Equal(1, await ben.UnreadAsync(channel));
    }

    [Fact]
    public async Task ReadsAreCountedPerUser()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var carl = await UserAsync("carl");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        await ana.AddMemberAsync(workspace, carl.UserId);
        var channel = await ana.CreateChannelAsync(workspace);
        var message = await ben.SendMessageIdAsync(channel, "hi all");

        await ana.PostAsync($"/api/messages/{message}/read");

        Assert.Equal(0, await ana.UnreadAsync(channel));
        Assert.Equal(1, await carl.UnreadAsync(channel));
    }

    [Fact]
    public async Task DeletedMessagesAreNotUnread()
    {
        var (ana, ben, channel) = await ChannelAsync();
        var message = await ana.SendMessageIdAsync(channel, "oops");
        await ana.SendMessageAsync(channel, "fine");

        await ana.DeleteAsync($"/api/messages/{message}");

        Assert.Equal(1, await ben.UnreadAsync(channel));
    }

    [Fact]
    public async Task UnreadCountsAreKeptPerChannel()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var workspace = await ana.CreateWorkspaceAsync();
        await ana.AddMemberAsync(workspace, ben.UserId);
        var first = await ana.CreateChannelAsync(workspace, "first");
        var second = await ana.CreateChannelAsync(workspace, "second");
        await ana.SendMessageAsync(first, "a");
        await ana.SendMessageAsync(first, "b");
        await ana.SendMessageAsync(second, "c");

        Assert.Equal(2, await ben.UnreadAsync(first));
        Assert.Equal(1, await ben.UnreadAsync(second));
    }

    [Fact]
    public async Task UnreadOfAnUnknownChannelIs404()
    {
        var ana = await UserAsync("ana");

        ApiAssert.Error(HttpStatusCode.NotFound, await ana.GetAsync("/api/channels/999999/unread"));
    }

    [Fact]
    public async Task UnreadIsForReadersOnly()
    {
        var (ana, _, channel) = await ChannelAsync();
        await ana.SendMessageAsync(channel, "x");
        var eve = await UserAsync("eve");

        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{channel}/unread"));
    }
}
