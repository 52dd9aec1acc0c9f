using Parley.Client.Tests.Infrastructure;
using Parley.Protocol.Chat;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

/// <summary>The client against a server that replays at most 3 messages (<c>Chat:MaxReplay</c>).</summary>
public sealed class BoundedReplayTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:MaxReplay"] = "3",
        ["RateLimit:TokenLimit"] = "1000",
        ["RateLimit:TokensPerPeriod"] = "1000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ATruncatedReplayIsRaisedAndTheNewestMessagesFollowAlsoOnAnAutomaticRejoin()
    {
        var (anaApi, benApi, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await using var ben = await ConnectedClientAsync(_server, benApi);
        var benEvents = new ClientEvents(ben);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);
        for (var i = 1; i <= 6; i++)
        {
            await ana.SendAsync(channel, $"m{i}").WaitAsync(TestTimeout);
        }

        await ben.JoinAsync(channel, since: 0).WaitAsync(TestTimeout);
        await ClientEvents.Eventually(() => benEvents.Messages.Count == 3, "Ben receives the newest 3");
        Assert.Equal([4L, 5, 6], benEvents.Seqs(channel));
        Assert.Equal([new ReplayTruncatedEvent(channel, 1, 3)], benEvents.Others.OfType<ReplayTruncatedEvent>());

        await ben.DisconnectAsync().WaitAsync(TestTimeout);
        for (var i = 7; i <= 11; i++)
        {
            await ana.SendAsync(channel, $"m{i}").WaitAsync(TestTimeout);
        }
        await ben.ConnectAsync().WaitAsync(TestTimeout);

        await ClientEvents.Eventually(() => benEvents.Messages.Count == 6, "Ben receives the newest 3 again after the rejoin");
        Assert.Equal([4L, 5, 6, 9, 10, 11], benEvents.Seqs(channel));
        Assert.Equal([new ReplayTruncatedEvent(channel, 1, 3), new ReplayTruncatedEvent(channel, 7, 8)], benEvents.Others.OfType<ReplayTruncatedEvent>());
        Assert.Equal(11, ben.GetLastSeq(channel));
    }
}
