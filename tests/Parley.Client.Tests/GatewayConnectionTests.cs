using System.Net;
using Parley.Client.Tests.Infrastructure;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Protocol.Gateway;
using Parley.Server.Realtime.Gateway;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary><see cref="ParleyGatewayConnection"/> (<c>/gateway</c>) against the real server.</summary>
public sealed class GatewayConnectionTests : IAsyncLifetime
{
    // The default heartbeat interval (41.25 s): a short one would let a starved CPU, which delays a heartbeat past
    // the server's 1.5 × deadline, close these sockets with 4009 mid-test. Heartbeats have their own class.
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task IdentifyAnswersReadyWithGuildsAndWorkspaceEventsArriveAsDispatches()
    {
        var (anaApi, benApi, workspace, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var gateway = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var created = EventLog<ChatMessage>.Of(h => gateway.MessageCreated += h);
        var channels = EventLog<GatewayChannel>.Of(h => gateway.ChannelCreated += h);
        var dispatches = EventLog<ParleyGatewayDispatch>.Of(h => gateway.DispatchReceived += h);

        var ready = await gateway.IdentifyAsync(benApi.UserId).WaitAsync(TestTimeout);

        Assert.Equal((benApi.UserId, benApi.Username), (ready.User.Id, ready.User.Username));
        var guild = Assert.Single(ready.Guilds);
        Assert.Equal((workspace, anaApi.UserId), (guild.Id, guild.OwnerId));
        var general = Assert.Single(guild.Channels);
        Assert.Equal((channel, workspace, "general"), (general.Id, general.GuildId, general.Name));
        Assert.False(string.IsNullOrEmpty(ready.SessionId));
        Assert.Equal(ready.SessionId, gateway.SessionId);
        Assert.Same(ready, gateway.Ready);
        Assert.Equal(1, gateway.LastSequence);
        Assert.Equal(new GatewayOptions().HeartbeatInterval, gateway.HeartbeatInterval);

        var (status, body) = await anaApi.PostAsync("/api/messages", new { channelId = channel, content = "hello gateway" });
        Assert.Equal(HttpStatusCode.Created, status);
        var message = await created.WaitForAsync(m => m.Content == "hello gateway", "MESSAGE_CREATE");
        Assert.Equal((body.GetProperty("id").GetInt64(), channel, anaApi.UserId, 1L), (message.Id, message.ChannelId, message.AuthorId, message.Seq));
        var news = await anaApi.CreateChannelAsync(workspace, "news");
        Assert.Equal(workspace, (await channels.WaitForAsync(c => c.Id == news, "CHANNEL_CREATE")).GuildId);

        Assert.Equal(
            [(GatewayEvents.Ready, 1L), (GatewayEvents.MessageCreate, 2L), (GatewayEvents.ChannelCreate, 3L)],
            dispatches.Items.Select(d => (d.T, d.S)));
        Assert.Equal(3, gateway.LastSequence);
    }

    [Fact]
    public async Task AnEditArrivesAsMessageUpdated()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await LoggedInClientAsync(_server, anaApi);
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var gateway = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var updated = EventLog<ChatMessage>.Of(h => gateway.MessageUpdated += h);
        await gateway.IdentifyAsync(benApi.UserId).WaitAsync(TestTimeout);
        var (status, sent) = await anaApi.PostAsync("/api/messages", new { channelId = channel, content = "helo" });
        Assert.Equal(HttpStatusCode.Created, status);

        var edited = await ana.EditMessageAsync(sent.GetProperty("id").GetInt64(), "hello").WaitAsync(TestTimeout);

        var update = (await updated.WaitForCountAsync(1, "MESSAGE_UPDATE"))[0];
        Assert.Equal((edited.Id, edited.Seq, "hello", edited.EditedAt), (update.Id, update.Seq, update.Content, update.EditedAt));
        Assert.NotNull(update.EditedAt);
    }

    [Fact]
    public async Task ResumeOnANewConnectionReplaysTheMissedDispatchesThenContinuesLive()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var first = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var seenFirst = EventLog<ChatMessage>.Of(h => first.MessageCreated += h);
        await first.IdentifyAsync(benApi.UserId).WaitAsync(TestTimeout);
        await PostAsync(anaApi, channel, "one");
        await seenFirst.WaitForCountAsync(1, "the first message live");
        Assert.Equal(2, first.LastSequence);

        await first.CloseAsync().WaitAsync(TestTimeout);
        await first.Closed.WaitAsync(TestTimeout);
        await PostAsync(anaApi, channel, "two");
        await PostAsync(anaApi, channel, "three");

        await using var second = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var replayed = EventLog<ParleyGatewayDispatch>.Of(h => second.DispatchReceived += h);
        var seenSecond = EventLog<ChatMessage>.Of(h => second.MessageCreated += h);
        var invalid = EventLog<EventArgs>.Of(h => second.InvalidSession += (s, e) => h(s, e));
        await second.ResumeAsync(first).WaitAsync(TestTimeout);

        await seenSecond.WaitForCountAsync(2, "the two missed messages replayed");
        Assert.Equal([(GatewayEvents.MessageCreate, 3L), (GatewayEvents.MessageCreate, 4L)], replayed.Items.Select(d => (d.T, d.S)));
        Assert.Equal(["two", "three"], seenSecond.Items.Select(m => m.Content));
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal(4, second.LastSequence);

        await PostAsync(anaApi, channel, "four");
        await seenSecond.WaitForCountAsync(3, "live again after the replay");
        Assert.Equal(5, replayed.Items[^1].S);
        Assert.Equal(["two", "three", "four"], seenSecond.Items.Select(m => m.Content));
        Assert.Empty(invalid.Items);
        Assert.Null(second.Ready);
    }

    [Fact]
    public async Task AnInvalidSessionLeavesTheSocketOpenToIdentifyAndAnotherUsersIdCloses4001()
    {
        var benApi = await ApiClient.UserAsync(_server, "ben");
        var anaApi = await ApiClient.UserAsync(_server, "ana");
        await using var login = await LoggedInClientAsync(_server, benApi);
        var token = await login.CreateApiTokenAsync("gateway").WaitAsync(TestTimeout);
        // An API token in the Authorization header this time.
        await using var ben = new ParleyClient(_server.BaseAddress, FastOptions()) { ApiToken = token.Token };
        await using var first = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var firstReady = await first.IdentifyAsync(benApi.UserId).WaitAsync(TestTimeout);
        await first.CloseAsync().WaitAsync(TestTimeout);

        await using var second = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var invalid = EventLog<EventArgs>.Of(h => second.InvalidSession += (s, e) => h(s, e));
        // A seq the session never reached cannot be resumed from.
        await second.ResumeAsync(firstReady.SessionId, first.LastSequence + 5).WaitAsync(TestTimeout);
        await invalid.WaitForCountAsync(1, "INVALID_SESSION");
        Assert.Null(second.SessionId);
        Assert.Equal(0, second.LastSequence);

        var ready = await second.IdentifyAsync().WaitAsync(TestTimeout);
        Assert.Equal(benApi.UserId, ready.User.Id);
        Assert.NotEqual(firstReady.SessionId, ready.SessionId);
        Assert.Equal(1, second.LastSequence);

        await using var third = await ben.OpenGatewayAsync().WaitAsync(TestTimeout);
        var closed = await Assert.ThrowsAsync<ParleyConnectionClosedException>(() => third.IdentifyAsync(anaApi.UserId).WaitAsync(TestTimeout));
        Assert.Equal(CloseCodes.Unauthorized, closed.CloseStatus);
    }

    private static async Task PostAsync(ApiClient author, long channel, string content)
    {
        var (status, _) = await author.PostAsync("/api/messages", new { channelId = channel, content });
        Assert.Equal(HttpStatusCode.Created, status);
    }
}
