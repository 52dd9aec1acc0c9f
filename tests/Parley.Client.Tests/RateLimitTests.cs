using Parley.Client.Tests.Infrastructure;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

public sealed class RateLimitTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimit:TokenLimit"] = "2",
        ["RateLimit:TokensPerPeriod"] = "2",
        ["RateLimit:ReplenishmentPeriod"] = "00:00:00.300",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendsRefusedAsRateLimitedAreRetriedUntilStored()
    {
        var (anaApi, _, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        var events = new ClientEvents(ana);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);

        var sends = Enumerable.Range(1, 6).Select(i => ana.SendAsync(channel, $"burst {i}")).ToList();
        var sent = await Task.WhenAll(sends).WaitAsync(TestTimeout);

        Assert.Equal([1L, 2, 3, 4, 5, 6], sent.Select(m => m.Seq));
        Assert.Contains(events.Others.OfType<Protocol.Chat.ErrorEvent>(), e => e.Code == Protocol.ErrorCodes.RateLimited);
        var history = await ana.GetHistoryAsync(channel).WaitAsync(TestTimeout);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"burst {i}"), history.Select(m => m.Content));
    }
}
