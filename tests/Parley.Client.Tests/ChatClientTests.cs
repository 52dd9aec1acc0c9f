using Parley.Client.Tests.Infrastructure;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

public sealed class ChatClientTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendReturnsTheStoredMessageAndOthersReceiveIt()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var benEvents = new ClientEvents(ben);
        var anaEvents = new ClientEvents(ana);
        Assert.Equal(ParleyConnectionState.Connected, ana.State);
        Assert.Equal(anaApi.UserId, ana.UserId);

        var joined = await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        Assert.Equal(0, joined.LastSeq);
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);

        var sent = await ana.SendAsync(channel, "  hello  ").WaitAsync(TestTimeout);
        Assert.Equal("hello", sent.Content);
        Assert.Equal(1, sent.Seq);
        Assert.Equal(anaApi.UserId, sent.AuthorId);
        Assert.False(string.IsNullOrEmpty(sent.ClientMsgId));

        await ClientEvents.Eventually(() => benEvents.Messages.Count == 1, "Ben receives the message");
        var received = benEvents.Messages[0];
        Assert.Equal((sent.Id, sent.Seq, sent.Content, sent.ClientMsgId, sent.CreatedAt), (received.Id, received.Seq, received.Content, received.ClientMsgId, received.CreatedAt));
        await ClientEvents.Eventually(() => anaEvents.Messages.Count == 1, "Ana receives her echo");
        Assert.Equal(1, ana.GetLastSeq(channel));

        await ana.TypingAsync(channel).WaitAsync(TestTimeout);
        await ana.StopTypingAsync(channel).WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => benEvents.Others.OfType<UserTypingEvent>().Count() == 2, "Ben sees typing start and stop");
        var typing = benEvents.Others.OfType<UserTypingEvent>().ToList();
        Assert.Equal([ChatServerEventTypes.UserTyping, ChatServerEventTypes.UserStopTyping], typing.Select(t => t.Type));
        Assert.All(typing, t => Assert.Equal(anaApi.UserId, t.UserId));

        var read = await ben.MarkReadAsync(sent.Id).WaitAsync(TestTimeout);
        Assert.Equal(new MessageReadEvent(sent.Id, benApi.UserId, channel), read);
        await ClientEvents.Eventually(() => anaEvents.Others.OfType<MessageReadEvent>().Any(r => r.MessageId == sent.Id), "Ana sees the read");
    }

    [Fact]
    public async Task AnEditReturnsTheStoredMessageAndEveryJoinedClientHearsIt()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var anaEvents = new ClientEvents(ana);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);
        var sent = await ana.SendAsync(channel, "helo").WaitAsync(TestTimeout);
        Assert.Null(sent.EditedAt);

        var edited = await ana.EditMessageAsync(sent.Id, "  hello  ").WaitAsync(TestTimeout);

        Assert.Equal((sent.Id, sent.Seq, sent.CreatedAt, "hello"), (edited.Id, edited.Seq, edited.CreatedAt, edited.Content));
        Assert.NotNull(edited.EditedAt);
        Assert.Equal(DateTimeKind.Utc, edited.EditedAt.Value.Kind);
        foreach (var events in new[] { anaEvents, benEvents })
        {
            await ClientEvents.Eventually(() => events.Others.OfType<MessageUpdatedEvent>().Any(), "the edit arrives");
            var update = events.Others.OfType<MessageUpdatedEvent>().Single().Message;
            Assert.Equal((edited.Id, edited.Seq, edited.Content, edited.EditedAt), (update.Id, update.Seq, update.Content, update.EditedAt));
        }
        // An edit is no new message: MessageReceived saw the send only, and the seq mark did not move.
        Assert.Single(benEvents.Messages);
        Assert.Equal(1, ben.GetLastSeq(channel));
        var stored = Assert.Single(await ben.GetHistoryAsync(channel).WaitAsync(TestTimeout));
        Assert.Equal(("hello", edited.EditedAt), (stored.Content, stored.EditedAt));

        var refused = await Assert.ThrowsAsync<ParleyApiException>(() => ben.EditMessageAsync(sent.Id, "not mine").WaitAsync(TestTimeout));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("You can only edit your own messages.", refused.Message);
        var missing = await Assert.ThrowsAsync<ParleyApiException>(() => ana.EditMessageAsync(999_999_999, "nothing").WaitAsync(TestTimeout));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => ana.EditMessageAsync(sent.Id, "   "));
        Assert.Equal(ParleyConnectionState.Connected, ana.State);
    }

    [Fact]
    public async Task LeaveStopsDeliveryAndARejoinWithSinceReplaysWhatWasMissed()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);

        await ben.LeaveAsync(channel).WaitAsync(TestTimeout);
        Assert.Empty(ben.Channels);
        var after = await ana.SendAsync(channel, "after ben left").WaitAsync(TestTimeout);
        await ana.SendAsync(channel, "and another").WaitAsync(TestTimeout);
        // Ben rejoins from the seq before the message he missed: it is replayed, once.
        await ben.JoinAsync(channel, since: after.Seq - 1).WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => benEvents.Messages.Count == 2, "Ben receives the replay");
        Assert.Equal([after.Seq, after.Seq + 1], benEvents.Seqs(channel));
    }

    [Fact]
    public async Task ReconnectingRejoinsWithSinceSoNothingIsMissed()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);
        await ana.SendAsync(channel, "one").WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => benEvents.Messages.Count == 1, "Ben receives the first message");

        await ben.DisconnectAsync().WaitAsync(TestTimeout);
        Assert.Equal(ParleyConnectionState.Disconnected, ben.State);
        await ana.SendAsync(channel, "two").WaitAsync(TestTimeout);
        await ana.SendAsync(channel, "three").WaitAsync(TestTimeout);
        await ben.ConnectAsync().WaitAsync(TestTimeout);

        await ClientEvents.Eventually(() => benEvents.Messages.Count == 3, "Ben receives what he missed");
        await ana.SendAsync(channel, "four").WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => benEvents.Messages.Count == 4, "Ben receives live messages again");
        Assert.Equal(["one", "two", "three", "four"], benEvents.Messages.Select(m => m.Content));
        Assert.Equal([1L, 2, 3, 4], benEvents.Seqs(channel));
        Assert.Equal(4, ben.GetLastSeq(channel));
    }

    [Fact]
    public async Task ConnectingToNoServerFailsAtOnce()
    {
        await using var client = new ParleyClient(new Uri($"http://127.0.0.1:{FreePort()}/"), FastOptions());

        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => client.ConnectAsync().WaitAsync(TestTimeout));

        Assert.Equal(ParleyConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task APinChangedOverHttpIsRaisedAsMessagePinnedAndMessageUnpinned()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var pins = new List<object>();
        ben.MessagePinned += (_, e) => { lock (pins) { pins.Add(e); } };
        ben.MessageUnpinned += (_, e) => { lock (pins) { pins.Add(e); } };
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);
        var sent = await ben.SendAsync(channel, "pin me").WaitAsync(TestTimeout);

        await anaApi.PostAsync($"/api/channels/{channel}/pin/{sent.Id}");
        await anaApi.DeleteAsync($"/api/channels/{channel}/pin/{sent.Id}");

        await ClientEvents.Eventually(() => { lock (pins) { return pins.Count == 2; } }, "Ben's client raises the pin and the unpin");
        Assert.Equal(new MessagePinnedEvent(channel, sent.Id, anaApi.UserId, ((MessagePinnedEvent)pins[0]).PinnedAt), pins[0]);
        Assert.Equal(new MessageUnpinnedEvent(channel, sent.Id), pins[1]);
    }

    [Fact]
    public async Task SendingToAChannelNotJoinedJoinsItFirst()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var anaEvents = new ClientEvents(ana);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);

        var sent = await ben.SendAsync(channel, "straight in").WaitAsync(TestTimeout);

        Assert.Equal(1, sent.Seq);
        Assert.Equal([channel], ben.Channels);
        await ClientEvents.Eventually(() => benEvents.Others.OfType<JoinedChannelEvent>().Any(), "Ben's client saw its joined_channel");
        await ClientEvents.Eventually(() => anaEvents.Messages.Count == 1, "Ana receives Ben's message");
        // Ben stays in the channel: he hears Ana's answer.
        await ana.SendAsync(channel, "welcome").WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => benEvents.Messages.Any(m => m.Content == "welcome"), "Ben receives Ana's answer");

        // A channel the join is refused for fails the send with the join's error, and the client is not in it.
        var missing = await Assert.ThrowsAsync<ParleyRequestException>(() => ben.SendAsync(999_999, "anyone?").WaitAsync(TestTimeout));
        Assert.Equal(ErrorCodes.NotFound, missing.Code);
        Assert.Equal([channel], ben.Channels);
    }

    [Fact]
    public async Task RefusedRequestsFailWithTheServersError()
    {
        var (anaApi, benApi, workspace, _) = await TwoUsersAndChannelAsync(_server);
        var announcements = await anaApi.CreateChannelAsync(workspace, "news", "announcement");
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var benEvents = new ClientEvents(ben);

        var missing = await Assert.ThrowsAsync<ParleyRequestException>(() => ben.JoinAsync(999_999).WaitAsync(TestTimeout));
        Assert.Equal(ErrorCodes.NotFound, missing.Code);
        Assert.DoesNotContain(999_999L, ben.Channels);

        await ben.JoinAsync(announcements).WaitAsync(TestTimeout);
        var forbidden = await Assert.ThrowsAsync<ParleyRequestException>(() => ben.SendAsync(announcements, "members may not post").WaitAsync(TestTimeout));
        Assert.Equal(ErrorCodes.Forbidden, forbidden.Code);
        await Assert.ThrowsAsync<ArgumentException>(() => ben.SendAsync(announcements, new string('x', 70_000)));
        Assert.Equal(2, benEvents.Others.OfType<ErrorEvent>().Count());

        // The connection goes on serving after errors.
        Assert.Equal(ParleyConnectionState.Connected, ben.State);
        await ben.JoinAsync(announcements).WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task HistoryPagesBackwardOverHttp()
    {
        var (anaApi, _, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        for (var i = 1; i <= 5; i++)
        {
            await ana.SendAsync(channel, $"m{i}").WaitAsync(TestTimeout);
        }

        var newest = await ana.GetHistoryAsync(channel, limit: 2).WaitAsync(TestTimeout);
        Assert.Equal(["m4", "m5"], newest.Select(m => m.Content));
        var older = await ana.GetHistoryAsync(channel, before: newest[0].Id, limit: 2).WaitAsync(TestTimeout);
        Assert.Equal(["m2", "m3"], older.Select(m => m.Content));
        var oldest = await ana.GetHistoryAsync(channel, before: older[0].Id, limit: 2).WaitAsync(TestTimeout);
        Assert.Equal(["m1"], oldest.Select(m => m.Content));
        Assert.Empty(await ana.GetHistoryAsync(channel, before: oldest[0].Id).WaitAsync(TestTimeout));

        var notAllowed = await Assert.ThrowsAsync<ParleyApiException>(async () =>
        {
            await using var stranger = new ParleyClient(_server.BaseAddress);
            using var strangerApi = await ApiClient.UserAsync(_server, "stranger");
            await stranger.LoginAsync(strangerApi.Username, Password);
            await stranger.GetHistoryAsync(channel);
        });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, notAllowed.StatusCode);
    }

    [Fact]
    public async Task RegisterLoginAndApiTokensAuthenticateTheSocket()
    {
        await using var client = new ParleyClient(_server.BaseAddress, FastOptions());
        var registered = await client.RegisterAsync("carla", Password, displayName: "Carla").WaitAsync(TestTimeout);
        Assert.Equal("Carla", registered.DisplayName);
        var duplicate = await Assert.ThrowsAsync<ParleyApiException>(() => client.RegisterAsync("carla", Password));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, duplicate.StatusCode);
        var wrong = await Assert.ThrowsAsync<ParleyApiException>(() => client.LoginAsync("carla", "not the password"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);

        await client.LoginAsync("carla", Password).WaitAsync(TestTimeout);
        var token = await client.CreateApiTokenAsync("bot").WaitAsync(TestTimeout);

        foreach (var inQuery in new[] { false, true })
        {
            var options = FastOptions();
            options.PassTokenInQuery = inQuery;
            await using var bot = new ParleyClient(_server.BaseAddress, options) { ApiToken = token.Token };
            var connected = new TaskCompletionSource<ConnectedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            bot.Connected += (_, e) => connected.TrySetResult(e);
            await bot.ConnectAsync().WaitAsync(TestTimeout);
            var who = await connected.Task.WaitAsync(TestTimeout);
            Assert.Equal(registered.Id, who.UserId);
            Assert.Equal(registered.Id, (await bot.GetCurrentUserAsync().WaitAsync(TestTimeout)).Id);
        }
    }

    [Fact]
    public async Task ConnectingWithoutCredentialsFailsWith4001AndDoesNotRetry()
    {
        await using var client = new ParleyClient(_server.BaseAddress, FastOptions());
        var events = new ClientEvents(client);

        var closed = await Assert.ThrowsAsync<ParleyConnectionClosedException>(() => client.ConnectAsync().WaitAsync(TestTimeout));

        Assert.Equal(CloseCodes.Unauthorized, closed.CloseStatus);
        Assert.Equal(ParleyConnectionState.Closed, client.State);
        Assert.Equal([ParleyConnectionState.Connecting, ParleyConnectionState.Closed], events.States.Select(s => s.State));
        await Assert.ThrowsAsync<ParleyConnectionClosedException>(() => client.JoinAsync(1));
    }
}
