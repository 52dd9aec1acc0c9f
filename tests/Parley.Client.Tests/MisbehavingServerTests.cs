using System.Net;
using System.Text.Json;
using Parley.Client.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary>
/// The chat client's guards against a server that breaks the protocol's promises (repeated or foreign
/// messages, a 4001 in place of an echo). The real server does not do these things, so a stand-in does; what
/// the real server does is tested against it in the other classes.
/// </summary>
public sealed class MisbehavingServerTests : IAsyncLifetime
{
    private FakeSocketServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeSocketServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RepeatedMessagesAreDeliveredOnceAndRejoinsAskForTheLastSeqSeen()
    {
        await using var client = new ParleyClient(_server.BaseAddress, FastOptions());
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
}
