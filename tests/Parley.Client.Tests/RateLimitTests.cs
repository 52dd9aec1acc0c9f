using Parley.Protocol;
using Parley.Server.Tests.Infrastructure;
using static Parley.Client.Tests.Infrastructure.ClientFixtures;

namespace Parley.Client.Tests;

public sealed class RateLimitTests : IAsyncLifetime
{
    private ParleyTestServer _server = null!;

    // A bucket of 2 that does not refill during the test, so exactly two sends of a burst get through.
    public async Task InitializeAsync() => _server = await ParleyTestServer.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimit:TokenLimit"] = "2",
        ["RateLimit:TokensPerPeriod"] = "2",
        ["RateLimit:ReplenishmentPeriod"] = "00:10:00",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PipelinedSendsOverTheLimitFailWithRateLimitedAndAreNotRetried()
    {
        var (anaApi, _, _, channel) = await TwoUsersAndChannelAsync(_server);
        await using var ana = await ConnectedClientAsync(_server, anaApi);
        await ana.JoinAsync(channel).WaitAsync(TestTimeout);

        var sends = Enumerable.Range(1, 6).Select(i => ana.SendAsync(channel, $"burst {i}")).ToList();
        await Task.WhenAll(sends).ContinueWith(static _ => { }).WaitAsync(TestTimeout);

        Assert.Equal([1L, 2], sends.Take(2).Select(s => s.Result.Seq));
        foreach (var refused in sends.Skip(2))
        {
            var error = Assert.IsType<ParleyRequestException>(refused.Exception?.InnerException);
            Assert.Equal(ErrorCodes.RateLimited, error.Code);
            Assert.Equal("You are sending messages too fast. Please wait.", error.Message);
        }
        var history = await ana.GetHistoryAsync(channel).WaitAsync(TestTimeout);
        Assert.Equal(["burst 1", "burst 2"], history.Select(m => m.Content));
    }
}
