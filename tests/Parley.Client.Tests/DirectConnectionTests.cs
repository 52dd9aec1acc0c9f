using System.Globalization;
using System.Net;
using Parley.Client.Tests.Infrastructure;
using Parley.Protocol;
using Parley.Protocol.Chat;
using Parley.Protocol.Direct;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary><see cref="ParleyDirectConnection"/> (<c>/messagepal</c>) against the real server.</summary>
public sealed class DirectConnectionTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AMessageReachesEverySocketOfBothUsersAndTypingAndReadsFollow()
    {
        var anaApi = await ApiClient.UserAsync(_server, "ana");
        var benApi = await ApiClient.UserAsync(_server, "ben");
        await using var ana = await LoggedInClientAsync(_server, anaApi);
        await using var ben = await LoggedInClientAsync(_server, benApi);
        // Ana has two sockets (say a phone and a laptop): both are hers, both hear everything.
        await using var anaPhone = await ana.OpenDirectAsync().WaitAsync(TestTimeout);
        await using var anaLaptop = await ana.OpenDirectAsync().WaitAsync(TestTimeout);
        await using var benSocket = await ben.OpenDirectAsync().WaitAsync(TestTimeout);
        ParleyDirectConnection[] all = [anaPhone, anaLaptop, benSocket];
        var received = all.Select(s => EventLog<DirectMessage>.Of(h => s.MessageReceived += h)).ToArray();
        var reads = all.Select(s => EventLog<DirectReadPayload>.Of(h => s.MessageRead += h)).ToArray();
        var typing = all.Select(s => EventLog<DirectTypingPayload>.Of(h => s.UserTyping += h)).ToArray();
        var anaErrors = EventLog<ErrorEvent>.Of(h => anaPhone.ErrorReceived += h);

        var connected = await anaPhone.Connected.WaitAsync(TestTimeout);
        Assert.Equal((anaApi.UserId, anaApi.Username, "student"), (connected.UserId, connected.Username, connected.Role));
        Assert.Equal(benApi.UserId, (await benSocket.Connected.WaitAsync(TestTimeout)).UserId);
        await anaLaptop.Connected.WaitAsync(TestTimeout);

        // Completes with this socket's copy: the answer that carries the send's requestId.
        var sentMessage = await anaPhone.SendMessageAsync(benApi.UserId, "  hi ben  ").WaitAsync(TestTimeout);

        var conversation = ParleyDirectConnection.ConversationId(benApi.UserId, anaApi.UserId);
        var copies = new List<DirectMessage>();
        foreach (var log in received)
        {
            copies.Add(Assert.Single(await log.WaitForCountAsync(1, "message_received on every socket of both users")));
        }
        var message = copies[2];
        Assert.All(copies, m => Assert.Equal(message.Id, m.Id));
        // On this socket ids are strings: the decimal form of the numeric id /ws/chat and HTTP use.
        Assert.True(long.TryParse(message.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var numericId) && numericId > 0);
        Assert.Equal($"conv_{Math.Min(anaApi.UserId, benApi.UserId)}_{Math.Max(anaApi.UserId, benApi.UserId)}", conversation);
        Assert.Equal(conversation, message.ConversationId);
        Assert.Equal((anaApi.UserId, anaApi.Username, "student", benApi.UserId), (message.SenderId, message.SenderName, message.SenderRole, message.RecipientId));
        Assert.Equal("hi ben", message.Content);
        Assert.Equal((sentMessage.Id, sentMessage.ClientMsgId), (message.Id, message.ClientMsgId));
        Assert.Empty(message.ReadBy);
        Assert.False(message.IsRead);
        var (status, page) = await anaApi.GetAsync("/api/messagepal/conversations");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(message.Id, page[0].GetProperty("lastMessage").GetProperty("id").GetString());

        // Typing reaches the other user's sockets only.
        await benSocket.TypingAsync(anaApi.UserId).WaitAsync(TestTimeout);
        foreach (var log in typing[..2])
        {
            var typed = Assert.Single(await log.WaitForCountAsync(1, "Ana's sockets see Ben typing"));
            Assert.Equal((benApi.UserId, benApi.Username, anaApi.UserId), (typed.UserId, typed.Username, typed.RecipientId));
        }

        // Only the recipient may mark a message read; then the reader's and the sender's sockets hear of it.
        await anaPhone.MarkReadAsync(message.Id).WaitAsync(TestTimeout);
        var refused = await anaErrors.WaitForAsync(_ => true, "Ana may not mark her own message");
        Assert.Equal((ErrorCodes.Forbidden, "Only the recipient can mark a message as read"), (refused.Code, refused.Message));
        await benSocket.MarkReadAsync(message.Id).WaitAsync(TestTimeout);
        foreach (var log in reads)
        {
            var read = Assert.Single(await log.WaitForCountAsync(1, "message_read on the reader's and the sender's sockets"));
            Assert.Equal((message.Id, benApi.UserId, conversation), (read.MessageId, read.ReadBy, read.ConversationId));
        }
        // Events of a conversation reach a socket in order, so Ben's own typing would have come before this read.
        Assert.Empty(typing[2].Items);
    }

    [Fact]
    public async Task AnEditArrivesAsMessageUpdatedOnBothUsersSockets()
    {
        var anaApi = await ApiClient.UserAsync(_server, "ana");
        var benApi = await ApiClient.UserAsync(_server, "ben");
        await using var ana = await LoggedInClientAsync(_server, anaApi);
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var anaSocket = await ana.OpenDirectAsync().WaitAsync(TestTimeout);
        await using var benSocket = await ben.OpenDirectAsync().WaitAsync(TestTimeout);
        var sent = EventLog<DirectMessage>.Of(h => anaSocket.MessageReceived += h);
        var anaUpdates = EventLog<DirectMessage>.Of(h => anaSocket.MessageUpdated += h);
        var benUpdates = EventLog<DirectMessage>.Of(h => benSocket.MessageUpdated += h);
        await Task.WhenAll(anaSocket.Connected, benSocket.Connected).WaitAsync(TestTimeout);
        await anaSocket.SendMessageAsync(benApi.UserId, "helo").WaitAsync(TestTimeout);
        var original = (await sent.WaitForCountAsync(1, "the echo"))[0];
        Assert.Null(original.EditedAt);

        var edited = await ana.EditMessageAsync(long.Parse(original.Id, CultureInfo.InvariantCulture), "hello").WaitAsync(TestTimeout);

        foreach (var updates in new[] { anaUpdates, benUpdates })
        {
            var update = (await updates.WaitForCountAsync(1, "message_updated"))[0];
            Assert.Equal((original.Id, original.ConversationId, "hello", edited.EditedAt), (update.Id, update.ConversationId, update.Content, update.EditedAt));
        }
    }

    [Fact]
    public async Task OverlappingSendsCompleteWithTheirOwnAnswersAndThoseOverTheLimitFailWithRateLimited()
    {
        var anaApi = await ApiClient.UserAsync(_server, "ana");
        var benApi = await ApiClient.UserAsync(_server, "ben");
        await using var ana = await LoggedInClientAsync(_server, anaApi);
        await using var anaSocket = await ana.OpenDirectAsync().WaitAsync(TestTimeout);
        await anaSocket.Connected.WaitAsync(TestTimeout);

        // Twelve at once against a bucket of five (five more every 5 s): each completes with its own answer, matched
        // by requestId, whatever the order in which echoes and errors arrive.
        var sends = Enumerable.Range(1, 12).Select(i => anaSocket.SendMessageAsync(benApi.UserId, $"m{i}")).ToList();
        await Task.WhenAll(sends).ContinueWith(static _ => { }).WaitAsync(TestTimeout);

        // The first five find tokens; a refill may land within the burst, so of the rest some may be stored too.
        Assert.All(sends.Take(5), s => Assert.True(s.IsCompletedSuccessfully));
        Assert.InRange(sends.Count(s => s.IsFaulted), 2, 7);
        foreach (var (send, i) in sends.Select((s, i) => (s, i + 1)))
        {
            if (send.IsCompletedSuccessfully)
            {
                Assert.Equal($"m{i}", (await send).Content);
            }
            else
            {
                Assert.Equal(ErrorCodes.RateLimited, Assert.IsType<ParleyRequestException>(send.Exception?.InnerException).Code);
            }
        }
    }

    [Fact]
    public async Task HistoryPagesBackwardByStringIdsAndOnlyForParticipants()
    {
        var anaApi = await ApiClient.UserAsync(_server, "ana");
        var benApi = await ApiClient.UserAsync(_server, "ben");
        var carlApi = await ApiClient.UserAsync(_server, "carl");
        await using var ana = await LoggedInClientAsync(_server, anaApi);
        await using var ben = await LoggedInClientAsync(_server, benApi);
        await using var anaSocket = await ana.OpenDirectAsync().WaitAsync(TestTimeout);
        await using var benSocket = await ben.OpenDirectAsync().WaitAsync(TestTimeout);
        var sent = EventLog<DirectMessage>.Of(h => anaSocket.MessageReceived += h);
        var pages = EventLog<DirectHistoryPayload>.Of(h => benSocket.HistoryReceived += h);
        var subscriptions = EventLog<DirectConversationPayload>.Of(h => benSocket.Subscribed += h);
        var unsubscriptions = EventLog<DirectConversationPayload>.Of(h => benSocket.Unsubscribed += h);
        var deleted = EventLog<DirectDeletedPayload>.Of(h => benSocket.MessageDeleted += h);
        var benErrors = EventLog<ErrorEvent>.Of(h => benSocket.ErrorReceived += h);
        await Task.WhenAll(anaSocket.Connected, benSocket.Connected).WaitAsync(TestTimeout);
        var conversation = ParleyDirectConnection.ConversationId(anaApi.UserId, benApi.UserId);

        // Five sends: exactly the rate limit's burst.
        for (var i = 1; i <= 5; i++)
        {
            await anaSocket.SendMessageAsync(benApi.UserId, $"m{i}").WaitAsync(TestTimeout);
        }
        var stored = await sent.WaitForCountAsync(5, "the echoes of Ana's five messages");
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], stored.Select(m => m.Content));

        await benSocket.FetchHistoryAsync(conversation, limit: 2).WaitAsync(TestTimeout);
        var newest = (await pages.WaitForCountAsync(1, "the newest page"))[0];
        Assert.Equal(conversation, newest.ConversationId);
        Assert.Equal(["m4", "m5"], newest.Messages.Select(m => m.Content));
        Assert.Equal(stored[3].Id, newest.Messages[0].Id);

        await benSocket.FetchHistoryAsync(conversation, before: newest.Messages[0].Id, limit: 2).WaitAsync(TestTimeout);
        Assert.Equal(["m2", "m3"], (await pages.WaitForCountAsync(2, "the page before"))[1].Messages.Select(m => m.Content));
        await benSocket.FetchHistoryAsync(conversation, before: stored[1].Id).WaitAsync(TestTimeout);
        var oldest = (await pages.WaitForCountAsync(3, "the oldest page"))[2];
        var first = Assert.Single(oldest.Messages);
        Assert.Equal(("m1", anaApi.UserId, benApi.UserId), (first.Content, first.SenderId, first.RecipientId));

        await benSocket.SubscribeAsync(conversation).WaitAsync(TestTimeout);
        Assert.Equal(conversation, (await subscriptions.WaitForCountAsync(1, "subscribed"))[0].ConversationId);
        await benSocket.UnsubscribeAsync(conversation).WaitAsync(TestTimeout);
        Assert.Equal(conversation, (await unsubscriptions.WaitForCountAsync(1, "unsubscribed"))[0].ConversationId);

        // A conversation of others answers as if it did not exist.
        var refused = await Assert.ThrowsAsync<ParleyRequestException>(() =>
            benSocket.FetchHistoryAsync(ParleyDirectConnection.ConversationId(anaApi.UserId, carlApi.UserId)).WaitAsync(TestTimeout));
        Assert.Equal(ErrorCodes.NotFound, refused.Code);
        var notFound = await benErrors.WaitForAsync(_ => true, "Conversation not found");
        Assert.Equal((ErrorCodes.NotFound, "Conversation not found"), (notFound.Code, notFound.Message));

        // (ext) A direct message deleted over HTTP is gone for both users.
        var (status, _) = await anaApi.DeleteAsync($"/api/messages/{stored[4].Id}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        var gone = (await deleted.WaitForCountAsync(1, "message_deleted"))[0];
        Assert.Equal((stored[4].Id, conversation), (gone.MessageId, gone.ConversationId));
        Assert.Equal(3, pages.Items.Count);
    }

    [Fact]
    public async Task AnApiTokenAuthenticatesAndNoCredentialsCloseWith4001()
    {
        var anaApi = await ApiClient.UserAsync(_server, "ana");
        await using var ana = await LoggedInClientAsync(_server, anaApi);
        var token = await ana.CreateApiTokenAsync("direct").WaitAsync(TestTimeout);
        var options = FastOptions();
        options.PassTokenInQuery = true;
        await using var tokenClient = new ParleyClient(_server.BaseAddress, options) { ApiToken = token.Token };
        await using var byToken = await tokenClient.OpenDirectAsync().WaitAsync(TestTimeout);

        Assert.Equal(anaApi.UserId, (await byToken.Connected.WaitAsync(TestTimeout)).UserId);

        await using var anonymous = new ParleyClient(_server.BaseAddress, FastOptions());
        await using var refused = await anonymous.OpenDirectAsync().WaitAsync(TestTimeout);
        var closed = await Assert.ThrowsAsync<ParleyConnectionClosedException>(() => refused.Connected.WaitAsync(TestTimeout));
        Assert.Equal((CloseCodes.Unauthorized, "Authentication required"), (closed.CloseStatus, closed.CloseDescription));
        Assert.Equal(CloseCodes.Unauthorized, await refused.Closed.WaitAsync(TestTimeout));
    }
}
