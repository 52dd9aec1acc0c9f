using Parley.Client.Internal;

namespace Parley.Client.Tests;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void DelaysDoubleFromOneSecondUpToThirtySeconds()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0, new Random(1));

        var delays = Enumerable.Range(0, 8).Select(backoff.Delay).Select(d => d.TotalSeconds);

        Assert.Equal([1.0, 2, 4, 8, 16, 30, 30, 30], delays);
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(10_000));
    }

    [Fact]
    public void JitterOnlyShortensDelaysWithinItsShare()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0.2, new Random(7));

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(3)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(8 * 0.8), TimeSpan.FromSeconds(8)));
        Assert.True(delays.Distinct().Count() > 100, "delays should spread out");
    }

    [Fact]
    public void OptionsRejectNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParleyClient(new Uri("http://127.0.0.1/"), new ParleyClientOptions { BackoffJitter = 1.5 }));
        Assert.Throws<ArgumentException>(() => new ParleyClient(new Uri("http://127.0.0.1/"), new ParleyClientOptions { MaxBackoff = TimeSpan.FromMilliseconds(10) }));
        Assert.Throws<ArgumentException>(() => new ParleyClient(new Uri("ws://127.0.0.1/")));
    }
}
