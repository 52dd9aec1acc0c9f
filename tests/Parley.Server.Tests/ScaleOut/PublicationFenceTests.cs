using Parley.Server.Fanout.Redis;

namespace Parley.Server.Tests.ScaleOut;

/// <summary>The fence that orders a gateway claim behind the publications already under way on its node.</summary>
public sealed class PublicationFenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AWaitEndsOnlyWhenThePublicationsThatStartedBeforeItHaveEnded()
    {
        var fence = new PublicationFence();
        var first = fence.Enter();
        var second = fence.Enter();

        var wait = fence.WaitForInFlightAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        fence.Exit(first);
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        fence.Exit(second);

        await wait.WaitAsync(Timeout);
    }

    [Fact]
    public async Task APublicationThatStartsAfterTheWaitDoesNotHoldItUp()
    {
        var fence = new PublicationFence();
        var before = fence.Enter();
        var wait = fence.WaitForInFlightAsync(CancellationToken.None);
        var after = fence.Enter();

        fence.Exit(before);

        await wait.WaitAsync(Timeout);
        fence.Exit(after);
        // The next wait, reusing the first epoch's parity, is not held up by anything left over.
        await fence.WaitForInFlightAsync(CancellationToken.None).WaitAsync(Timeout);
        await fence.WaitForInFlightAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    [Fact]
    public async Task AWaitOnAnIdleFenceEndsAtOnce()
    {
        var fence = new PublicationFence();

        await fence.WaitForInFlightAsync(CancellationToken.None).WaitAsync(Timeout);
    }
}
