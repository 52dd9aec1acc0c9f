using Parley.Client.Tests.Infrastructure;
using Parley.Protocol;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary>
/// The server goes away and comes back on the same port with the same database, as a deployment restarts
/// it; clients must carry on without losing or repeating anything.
/// </summary>
public sealed class ReconnectionTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // The sender below is faster than the default 5 per 5 s bucket allows.
        ["RateLimit:TokenLimit"] = "1000",
        ["RateLimit:TokensPerPeriod"] = "1000",
        // Below the client's own 64 KB frame limit, so that the client writes a frame the server closes with 1009.
        ["Realtime:MaxMessageBytes"] = "16384",
    };

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("parley-client-test-").FullName;
    private readonly int _port = FreePort();
    private ParleyTestServer? _server;

    private ParleyTestServer Server => _server!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(Settings, dataDirectory: _dataDirectory, port: _port);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopServerAsync()
    {
        await Server.DisposeAsync();
        _server = null;
    }

    private async Task RestartServerAsync() =>
        _server = await ParleyTestServer.StartAsync(Settings, dataDirectory: _dataDirectory, port: _port);

    [Fact]
    public async Task ServerRestartMidConversationDeliversEveryMessageExactlyOnceInOrder()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(Server);
        await using var ana = await ConnectedClientAsync(Server, anaApi);
        // Ben retries more slowly than Ana, so that she is usually back and talking before he is: what she
        // says meanwhile reaches him by replay.
        var slower = FastOptions();
        slower.InitialBackoff = TimeSpan.FromMilliseconds(150);
        slower.MaxBackoff = TimeSpan.FromMilliseconds(800);
        await using var ben = await ConnectedClientAsync(Server, benApi, slower);
        var anaEvents = new ClientEvents(ana);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);

        // Ana keeps talking, one message every few milliseconds, whatever happens to the server.
        const int total = 60;
        var sender = Task.Run(async () =>
        {
            var sent = new List<Protocol.Chat.ChatMessage>();
            for (var i = 1; i <= total; i++)
            {
                sent.Add(await ana.SendAsync(channel, $"m{i}"));
                await Task.Delay(10);
            }
            return sent;
        });

        await ClientEvents.Eventually(() => benEvents.Messages.Count >= 15, "Ben receives the first messages");
        await StopServerAsync();
        await ClientEvents.Eventually(
            () => benEvents.States.Count(s => s.State == ParleyConnectionState.Reconnecting && s.Error is not null) >= 2,
            "Ben fails to reconnect at least twice while the server is down");
        Assert.False(sender.IsCompleted);
        await RestartServerAsync();

        var sentMessages = await sender.WaitAsync(TimeSpan.FromSeconds(60));
        await ClientEvents.Eventually(() => benEvents.Seqs(channel).LastOrDefault() == total, "Ben receives the last message");
        await ClientEvents.Eventually(() => anaEvents.Seqs(channel).LastOrDefault() == total, "Ana receives her last echo");

        var history = await ben.GetHistoryAsync(channel, limit: 100).WaitAsync(TestTimeout);
        var expectedSeqs = Enumerable.Range(1, total).Select(i => (long)i).ToList();
        Assert.Equal(expectedSeqs, history.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, total).Select(i => $"m{i}"), history.Select(m => m.Content));
        Assert.Equal(expectedSeqs, sentMessages.Select(m => m.Seq));
        Assert.Equal(expectedSeqs, benEvents.Seqs(channel));
        Assert.Equal(history.Select(m => m.Id), benEvents.Messages.Select(m => m.Id));
        Assert.Equal(expectedSeqs, anaEvents.Seqs(channel));

        var benStates = benEvents.States;
        Assert.Contains(benStates, s => s.State == ParleyConnectionState.Reconnecting && s.CloseStatus == CloseCodes.GoingAway);
        Assert.Equal(ParleyConnectionState.Connected, benStates[^1].State);
        Assert.Equal(ParleyConnectionState.Connected, ana.State);
    }

    [Fact]
    public async Task SendsMadeWhileDisconnectedAreDeliveredOnceAfterReconnecting()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(Server);
        await using var ana = await ConnectedClientAsync(Server, anaApi);
        await using var ben = await ConnectedClientAsync(Server, benApi);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        await ben.JoinAsync(channel).WaitAsync(TestTimeout);
        await ana.SendAsync(channel, "before").WaitAsync(TestTimeout);

        // One send races the shutdown: written or not, answered or not, it must end up stored once.
        var racing = ana.SendAsync(channel, "racing the shutdown");
        await StopServerAsync();
        await ClientEvents.Eventually(() => ana.State == ParleyConnectionState.Reconnecting, "Ana notices the server is gone");
        var offline = Enumerable.Range(1, 3).Select(i => ana.SendAsync(channel, $"offline {i}")).ToList();
        Assert.All(offline, send => Assert.False(send.IsCompleted));

        await RestartServerAsync();
        var stored = await Task.WhenAll([racing, .. offline]).WaitAsync(TimeSpan.FromSeconds(30));

        var history = await ana.GetHistoryAsync(channel).WaitAsync(TestTimeout);
        Assert.Equal(["before", "racing the shutdown", "offline 1", "offline 2", "offline 3"], history.Select(m => m.Content));
        Assert.Equal([1L, 2, 3, 4, 5], history.Select(m => m.Seq));
        Assert.Equal(history.Skip(1).Select(m => m.Id), stored.Select(m => m.Id));
        Assert.Equal(history.Skip(1).Select(m => m.ClientMsgId), stored.Select(m => m.ClientMsgId));
        await ClientEvents.Eventually(() => benEvents.Messages.Count == 5, "Ben receives all five");
        Assert.Equal([1L, 2, 3, 4, 5], benEvents.Seqs(channel));
    }

    [Fact]
    public async Task CloseWith1009ClosesTheClientInsteadOfReconnecting()
    {
        var (anaApi, _, _, channel) = await TwoUsersAndChannelAsync(Server);
        await using var ana = await ConnectedClientAsync(Server, anaApi);
        var events = new ClientEvents(ana);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);

        // A frame over Realtime:MaxMessageBytes: the same client would only send it again.
        _ = ana.SendAsync(channel, new string('x', 20_000));

        await ClientEvents.Eventually(() => ana.State == ParleyConnectionState.Closed, "the client closes");
        Assert.Equal(CloseCodes.MessageTooBig, events.States.Single(s => s.State == ParleyConnectionState.Closed).CloseStatus);
        Assert.DoesNotContain(events.States, s => s.State == ParleyConnectionState.Reconnecting);
    }

    [Fact]
    public async Task CloseWith4001StopsReconnecting()
    {
        var (anaApi, _, _, channel) = await TwoUsersAndChannelAsync(Server);
        await using var ana = await ConnectedClientAsync(Server, anaApi);
        var events = new ClientEvents(ana);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);

        // Logging out ends the session; the server closes its sockets with 4001.
        await ana.LogoutAsync().WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => ana.State == ParleyConnectionState.Closed, "the client closes");
        var closed = events.States.Single(s => s.State == ParleyConnectionState.Closed);
        Assert.Equal(CloseCodes.Unauthorized, closed.CloseStatus);

        // With a 50 ms backoff, a client that kept trying would have tried several times by now.
        var statesAtClose = events.States.Count;
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.Equal(statesAtClose, events.States.Count);
        Assert.Equal(ParleyConnectionState.Closed, ana.State);
        var refused = await Assert.ThrowsAsync<ParleyConnectionClosedException>(() => ana.SendAsync(channel, "after logout"));
        Assert.Equal(CloseCodes.Unauthorized, refused.CloseStatus);

        // Logging in again and connecting resumes where the client left off: its channel is rejoined.
        await ana.LoginAsync(anaApi.Username, Password).WaitAsync(TestTimeout);
        await ana.ConnectAsync().WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => events.Others.OfType<Protocol.Chat.JoinedChannelEvent>().Count() == 2, "the channel is rejoined");
        var sent = await ana.SendAsync(channel, "back again").WaitAsync(TestTimeout);
        Assert.Equal(1, sent.Seq);
    }
}
