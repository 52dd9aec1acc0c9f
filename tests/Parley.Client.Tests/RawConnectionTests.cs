using System.Net;
using System.Text.Json;
using Parley.Client.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary>
/// The thin <c>/messagepal</c> and <c>/gateway</c> connections, against a stand-in server (the real ones are
/// being written on another branch): credentials go along, frames come back raw and in order.
/// </summary>
public sealed class RawConnectionTests : IAsyncLifetime
{
    private FakeSocketServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeSocketServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ParleyClient ClientWithCredentials(bool tokenInQuery = false)
    {
        var options = FastOptions();
        options.PassTokenInQuery = tokenInQuery;
        var client = new ParleyClient(_server.BaseAddress, options) { ApiToken = "secret-token" };
        client.Cookies.Add(_server.BaseAddress, new Cookie("parley_session", "session-cookie"));
        return client;
    }

    [Fact]
    public async Task DirectConnectionSendsCredentialsAndTypedRequests()
    {
        await using var client = ClientWithCredentials();
        await using var direct = await client.OpenDirectAsync().WaitAsync(TestTimeout);
        await using var events = direct.ReadEventsAsync().GetAsyncEnumerator();

        var connected = await NextAsync(events);
        Assert.Equal("connected", connected.GetProperty("type").GetString());
        Assert.Equal("session-cookie", connected.GetProperty("payload").GetProperty("cookie").GetString());
        Assert.Equal("Bearer secret-token", connected.GetProperty("payload").GetProperty("authorization").GetString());

        var clientMsgId = await direct.SendMessageAsync(42, "hi").WaitAsync(TestTimeout);
        await direct.FetchHistoryAsync(ParleyDirectConnection.ConversationId(42, 7), limit: 10).WaitAsync(TestTimeout);

        var sent = (await NextAsync(events)).GetProperty("payload");
        Assert.Equal("send_message", sent.GetProperty("type").GetString());
        Assert.Equal(42, sent.GetProperty("recipientId").GetInt64());
        Assert.Equal(clientMsgId, sent.GetProperty("clientMsgId").GetString());
        var fetch = (await NextAsync(events)).GetProperty("payload");
        Assert.Equal("conv_7_42", fetch.GetProperty("conversationId").GetString());
        Assert.Equal(10, fetch.GetProperty("limit").GetInt32());

        await direct.CloseAsync().WaitAsync(TestTimeout);
        Assert.Equal(1000, await direct.Closed.WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task GatewayConnectionHeartbeatsByItselfAndTracksTheSession()
    {
        await using var client = ClientWithCredentials(tokenInQuery: true);
        await using var gateway = await client.OpenGatewayAsync().WaitAsync(TestTimeout);
        await using var events = gateway.ReadEventsAsync().GetAsyncEnumerator();

        Assert.Equal("HELLO", (await NextAsync(events)).GetProperty("op").GetString());
        await gateway.IdentifyAsync(5).WaitAsync(TestTimeout);
        JsonElement ready;
        do
        {
            ready = await NextAsync(events);
        }
        while (!ready.TryGetProperty("t", out _));
        Assert.Equal("READY", ready.GetProperty("t").GetString());
        Assert.Equal("secret-token", ready.GetProperty("d").GetProperty("credentials").GetProperty("token").GetString());
        Assert.Equal("session-1", gateway.SessionId);
        Assert.Equal(1, gateway.LastSequence);
        Assert.Equal(TimeSpan.FromMilliseconds(50), gateway.HeartbeatInterval);

        // Heartbeats go out every 50 ms without being asked for; each is acknowledged.
        var acks = 0;
        while (acks < 3)
        {
            if ((await NextAsync(events)).TryGetProperty("op", out var op) && op.GetString() == "HEARTBEAT_ACK")
            {
                acks++;
            }
        }
    }

    [Fact]
    public async Task RepeatedMessagesAreDeliveredOnceAndRejoinsAskForTheLastSeqSeen()
    {
        await using var client = ClientWithCredentials();
        var events = new ClientEvents(client);
        await client.ConnectAsync().WaitAsync(TestTimeout);
        await client.JoinAsync(7).WaitAsync(TestTimeout);

        await ClientEvents.Eventually(() => events.Seqs(7).LastOrDefault() == 4, "the message after the reconnect");

        Assert.Equal([1L, 2, 3, 4], events.Seqs(7));
        Assert.DoesNotContain(events.Messages, m => m.ChannelId != 7);
        List<JsonElement> joins;
        lock (_server.ChatJoins)
        {
            joins = [.. _server.ChatJoins];
        }
        Assert.Equal(2, joins.Count);
        Assert.False(joins[0].TryGetProperty("since", out _));
        Assert.Equal(3, joins[1].GetProperty("since").GetInt64());
        Assert.Contains(events.States, s => s.State == ParleyConnectionState.Reconnecting && s.CloseStatus == 1012);
    }

    [Fact]
    public async Task AClose4001FailsPendingSendsAndEndsReconnecting()
    {
        await using var client = new ParleyClient(_server.BaseAddress, FastOptions());
        client.Cookies.Add(_server.BaseAddress, new Cookie("parley_session", "revoke-on-send"));
        var events = new ClientEvents(client);
        await client.ConnectAsync().WaitAsync(TestTimeout);
        await client.JoinAsync(7).WaitAsync(TestTimeout);

        var closed = await Assert.ThrowsAsync<ParleyConnectionClosedException>(() => client.SendAsync(7, "never echoed").WaitAsync(TestTimeout));

        Assert.Equal(4001, closed.CloseStatus);
        Assert.Equal("Session ended", closed.CloseDescription);
        Assert.Equal(ParleyConnectionState.Closed, client.State);
        var connections = _server.ChatConnections;
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(connections, _server.ChatConnections);
        Assert.Equal(ParleyConnectionState.Closed, events.States[^1].State);
    }

    private static async Task<JsonElement> NextAsync(IAsyncEnumerator<JsonElement> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TestTimeout), "the socket closed early");
        return events.Current;
    }
}
