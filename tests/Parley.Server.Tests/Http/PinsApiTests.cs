using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Http;

/// <summary>
/// POST/DELETE /api/channels/:id/pin/:messageId and GET /api/channels/:id/pinned: owners and admins (either user
/// in a DM) change pins, every reader lists them.
/// </summary>
public sealed class PinsApiTests(SharedServer server) : HttpTestBase(server), IClassFixture<SharedServer>
{
    private async Task<(ApiClient Owner, ApiClient Member, long Workspace, long Channel)> ChannelAsync()
    {
        var owner = await UserAsync("owner");
        var member = await UserAsync("member");
        var workspace = await owner.CreateWorkspaceAsync();
        await owner.AddMemberAsync(workspace, member.UserId);
        return (owner, member, workspace, await owner.CreateChannelAsync(workspace));
    }

    private static async Task<long[]> PinnedAsync(ApiClient reader, long channel)
    {
        var (status, pinned) = await reader.GetAsync($"/api/channels/{channel}/pinned");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. pinned.EnumerateArray().Select(m => m.GetProperty("id").GetInt64())];
    }

    [Fact]
    public async Task OwnerPins201AndMembersSeeThePin()
    {
        var (owner, member, _, channel) = await ChannelAsync();
        var message = await member.SendMessageIdAsync(channel, "important");

        var (status, body) = await owner.PostAsync($"/api/channels/{channel}/pin/{message}");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(channel, body.GetProperty("channelId").GetInt64());
        Assert.Equal(message, body.GetProperty("messageId").GetInt64());
        Assert.True(body.GetProperty("pinned").GetBoolean());
        var (_, pinned) = await member.GetAsync($"/api/channels/{channel}/pinned");
        var listed = Assert.Single(pinned.EnumerateArray());
        Assert.Equal(message, listed.GetProperty("id").GetInt64());
        Assert.Equal("important", listed.GetProperty("content").GetString());
        Assert.Equal(member.UserId, listed.GetProperty("authorId").GetInt64());
    }

    [Fact]
    public async Task PinningTwiceIsIdempotent()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.PostAsync($"/api/channels/{channel}/pin/{message}");

        var (status, _) = await owner.PostAsync($"/api/channels/{channel}/pin/{message}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([message], await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task AdminPinsAndUnpins()
    {
        var (owner, _, workspace, channel) = await ChannelAsync();
        var admin = await UserAsync("admin");
        await owner.AddMemberAsync(workspace, admin.UserId, "admin");
        var message = await owner.SendMessageIdAsync(channel);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/channels/{channel}/pin/{message}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/channels/{channel}/pin/{message}")).Status);
        Assert.Empty(await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task MemberPinningIs403()
    {
        var (owner, member, _, channel) = await ChannelAsync();
        var message = await member.SendMessageIdAsync(channel, "my own message");

        ApiAssert.Error(HttpStatusCode.Forbidden, await member.PostAsync($"/api/channels/{channel}/pin/{message}"));

        Assert.Empty(await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task MemberUnpinningIs403()
    {
        var (owner, member, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.PostAsync($"/api/channels/{channel}/pin/{message}");

        ApiAssert.Error(HttpStatusCode.Forbidden, await member.DeleteAsync($"/api/channels/{channel}/pin/{message}"));

        Assert.Equal([message], await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task OutsiderCannotListOrChangePins()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.PostAsync($"/api/channels/{channel}/pin/{message}");
        var eve = await UserAsync("eve");

        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.GetAsync($"/api/channels/{channel}/pinned"));
        ApiAssert.Error(HttpStatusCode.Forbidden, await eve.DeleteAsync($"/api/channels/{channel}/pin/{message}"));
        Assert.Equal([message], await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task UnpinIs204AndRemovesThePin()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var first = await owner.SendMessageIdAsync(channel, "one");
        var second = await owner.SendMessageIdAsync(channel, "two");
        await owner.PostAsync($"/api/channels/{channel}/pin/{first}");
        await owner.PostAsync($"/api/channels/{channel}/pin/{second}");

        var (status, _) = await owner.DeleteAsync($"/api/channels/{channel}/pin/{first}");

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal([second], await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task UnpinningAMessageThatIsNotPinnedIs404()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.DeleteAsync($"/api/channels/{channel}/pin/{message}"));
    }

    [Fact]
    public async Task PinningAnUnknownMessageIs404()
    {
        var (owner, _, _, channel) = await ChannelAsync();

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.PostAsync($"/api/channels/{channel}/pin/999999"));
    }

    [Fact]
    public async Task PinningInAnUnknownChannelIs404()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.PostAsync($"/api/channels/999999/pin/{message}"));
        ApiAssert.Error(HttpStatusCode.NotFound, await owner.GetAsync("/api/channels/999999/pinned"));
    }

    [Fact]
    public async Task PinningAMessageOfAnotherChannelIs404()
    {
        var (owner, _, workspace, channel) = await ChannelAsync();
        var other = await owner.CreateChannelAsync(workspace, "other");
        var foreign = await owner.SendMessageIdAsync(other);

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.PostAsync($"/api/channels/{channel}/pin/{foreign}"));

        Assert.Empty(await PinnedAsync(owner, channel));
        Assert.Empty(await PinnedAsync(owner, other));
    }

    [Fact]
    public async Task PinningADeletedMessageIs404()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.DeleteAsync($"/api/messages/{message}");

        ApiAssert.Error(HttpStatusCode.NotFound, await owner.PostAsync($"/api/channels/{channel}/pin/{message}"));
    }

    [Fact]
    public async Task DeletedMessagesLeaveThePinnedList()
    {
        var (owner, _, _, channel) = await ChannelAsync();
        var message = await owner.SendMessageIdAsync(channel);
        await owner.PostAsync($"/api/channels/{channel}/pin/{message}");

        await owner.DeleteAsync($"/api/messages/{message}");

        Assert.Empty(await PinnedAsync(owner, channel));
    }

    [Fact]
    public async Task EitherDmUserPinsAndUnpins()
    {
        var ana = await UserAsync("ana");
        var ben = await UserAsync("ben");
        var dm = await ana.OpenDmAsync(ben.UserId);
        var message = await ana.SendMessageIdAsync(dm, "remember this");

        Assert.Equal(HttpStatusCode.Created, (await ben.PostAsync($"/api/channels/{dm}/pin/{message}")).Status);
        Assert.Equal([message], await PinnedAsync(ana, dm));
        Assert.Equal(HttpStatusCode.NoContent, (await ana.DeleteAsync($"/api/channels/{dm}/pin/{message}")).Status);
        Assert.Empty(await PinnedAsync(ben, dm));
    }
}
