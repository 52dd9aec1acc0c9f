using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

/// <summary>(ext) <c>message_pinned</c> and <c>message_unpinned</c>: a pin changed over HTTP reaches the channel's sockets.</summary>
public sealed class ChatSocketPinEventsTests
{
    [Fact]
    public async Task APinAndAnUnpinReachTheChannelsSocketsOnceEach()
    {
        await using var server = await ParleyTestServer.StartAsync();
        using var scenario = await ChannelScenario.CreateAsync(server);
        await using var member = await scenario.JoinAsync(server, scenario.Members[0]);
        await member.SendAsync(new { type = "send_message", channelId = scenario.ChannelId, content = "pin me" });
        var messageId = (await member.WaitForAsync("new_message")).GetProperty("message").GetProperty("id").GetInt64();
        var path = $"/api/channels/{scenario.ChannelId}/pin/{messageId}";

        Assert.Equal(HttpStatusCode.Created, (await scenario.Owner.PostAsync(path)).Status);
        var pinned = await member.WaitForAsync("message_pinned");
        Assert.Equal(scenario.ChannelId, pinned.GetProperty("channelId").GetInt64());
        Assert.Equal(messageId, pinned.GetProperty("messageId").GetInt64());
        Assert.Equal(scenario.Owner.UserId, pinned.GetProperty("pinnedBy").GetInt64());
        Assert.True(pinned.GetProperty("pinnedAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-1));

        // Pinned already: nothing changed, nobody is told again. The socket's events keep their order, so once the
        // unpin's event is here, a second pin event would have been too.
        await scenario.Owner.PostAsync(path);
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Owner.DeleteAsync(path)).Status);
        var unpinned = await member.WaitForAsync("message_unpinned");
        Assert.Equal(messageId, unpinned.GetProperty("messageId").GetInt64());
        Assert.Equal(1, member.Snapshot().Count(f => f.GetProperty("type").GetString() == "message_pinned"));
        // Not pinned any more: unpinning again tells nobody (the next pin's event comes right after the first unpin's).
        await scenario.Owner.DeleteAsync(path);
        await scenario.Owner.PostAsync(path);
        await member.WaitUntilAsync(frames => frames.Count(f => f.GetProperty("type").GetString() == "message_pinned") == 2);
        Assert.Equal(1, member.Snapshot().Count(f => f.GetProperty("type").GetString() == "message_unpinned"));
    }
}
