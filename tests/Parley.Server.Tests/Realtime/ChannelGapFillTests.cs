using Parley.Server.Chat;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Realtime;
using Parley.Server.Realtime.Chat;
using Parley.Server.Storage;
using Parley.Server.Tests.Http;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// The channel sequencer of a node that missed publications (as a node does when Redis delays them) fills
/// the gap from the real store. The hub under test is a second one, fed by hand, over the server's SQLite
/// store: the messages are stored and deleted through the HTTP API, and only the publications this node
/// "received" are offered to it, in the order a delayed bus would deliver them.
/// </summary>
public sealed class ChannelGapFillTests : HttpTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimit:TokenLimit"] = "100" };

    private IChatStore Store => Server.Services.GetRequiredService<IChatStore>();

    private ChannelHub NewHub(int resyncBatchSize = 500) => new(
        new ChatQueries(Store), Options.Create(new RealtimeOptions { GapFillDelay = TimeSpan.Zero, ResyncBatchSize = resyncBatchSize }), TimeProvider.System, NullLogger<ChannelHub>.Instance);

    private static async Task<long> SendAsync(ApiClient user, long channelId, string content)
    {
        var (status, body) = await user.PostAsync("/api/messages", new { channelId, content });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("id").GetInt64();
    }

    private async Task PublishAsync(ChannelHub hub, long channelId, long seq)
    {
        var channel = (await Store.GetChannelAsync(channelId, CancellationToken.None))!;
        var message = (await Store.ListMessagesAfterSeqAsync(channelId, seq - 1, 1, CancellationToken.None)).Single();
        Assert.Equal(seq, message.Seq);
        hub.OnEvent(new MessageCreated(message, channel));
    }

    [Fact]
    public async Task ADeletedMessageInsideAGapDoesNotSwallowTheMessagesAfterIt()
    {
        var owner = await UserAsync("owner");
        var channelId = await owner.CreateChannelAsync(await owner.CreateWorkspaceAsync());
        await SendAsync(owner, channelId, "one");
        var hub = NewHub();
        var subscriber = new RecordingSubscriber();
        Assert.Equal(1, await hub.SubscribeAsync((await Store.GetChannelAsync(channelId, CancellationToken.None))!, subscriber, CancellationToken.None).WaitAsync(Timeout));
        var two = await SendAsync(owner, channelId, "two");
        await SendAsync(owner, channelId, "three");
        await SendAsync(owner, channelId, "four");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/messages/{two}")).Status);

        // Seqs 2 and 3 are delayed on the bus; 4 arrives and reveals the gap, which is filled from the store.
        await PublishAsync(hub, channelId, 4);

        Assert.Equal(new long[] { 3, 4 }, await subscriber.WaitForAsync(2).WaitAsync(Timeout));

        // The sequencer is left without a gap: the next publication goes straight out.
        await SendAsync(owner, channelId, "five");
        await PublishAsync(hub, channelId, 5);
        Assert.Equal(new long[] { 3, 4, 5 }, await subscriber.WaitForAsync(1).WaitAsync(Timeout));
    }

    [Fact]
    public async Task GapsOfDeletedMessagesAroundLiveOnesAreFilledInOrder()
    {
        var owner = await UserAsync("owner");
        var channelId = await owner.CreateChannelAsync(await owner.CreateWorkspaceAsync());
        var hub = NewHub();
        var subscriber = new RecordingSubscriber();
        Assert.Equal(0, await hub.SubscribeAsync((await Store.GetChannelAsync(channelId, CancellationToken.None))!, subscriber, CancellationToken.None).WaitAsync(Timeout));
        var ids = new List<long>();
        for (var i = 1; i <= 9; i++)
        {
            ids.Add(await SendAsync(owner, channelId, $"m{i}"));
        }
        foreach (var seq in new[] { 1, 3, 4, 7 })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/messages/{ids[seq - 1]}")).Status);
        }

        // The bus delivers 9, then the (late) 6 and 8; everything else must come from the store.
        await PublishAsync(hub, channelId, 9);
        await PublishAsync(hub, channelId, 6);
        await PublishAsync(hub, channelId, 8);

        Assert.Equal(new long[] { 2, 5, 6, 8, 9 }, await subscriber.WaitForAsync(5).WaitAsync(Timeout));
    }

    [Fact]
    public async Task AResyncInBatchesDeliversWhatEveryFollowedChannelMissed()
    {
        // Batches of 2 over 5 channels: three store queries, the last one for a single channel.
        var owner = await UserAsync("owner");
        var workspace = await owner.CreateWorkspaceAsync();
        var hub = NewHub(resyncBatchSize: 2);
        var channels = new List<(long Id, RecordingSubscriber Subscriber)>();
        for (var i = 0; i < 5; i++)
        {
            var channelId = await owner.CreateChannelAsync(workspace);
            await SendAsync(owner, channelId, "before");
            var subscriber = new RecordingSubscriber();
            Assert.Equal(1, await hub.SubscribeAsync((await Store.GetChannelAsync(channelId, CancellationToken.None))!, subscriber, CancellationToken.None).WaitAsync(Timeout));
            channels.Add((channelId, subscriber));
        }
        // Missed by this hub (as during a bus outage): channel i gets i + 1 messages.
        for (var i = 0; i < channels.Count; i++)
        {
            for (var m = 0; m <= i; m++)
            {
                await SendAsync(owner, channels[i].Id, $"missed {m}");
            }
        }

        Assert.Empty(await hub.RecoverAsync(BusRecovery.Periodic, CancellationToken.None).WaitAsync(Timeout));

        for (var i = 0; i < channels.Count; i++)
        {
            Assert.Equal(Enumerable.Range(2, i + 1).Select(seq => (long)seq), await channels[i].Subscriber.WaitForAsync(i + 1).WaitAsync(Timeout));
        }
    }

    /// <summary>A subscriber that records the seqs delivered to it.</summary>
    private sealed class RecordingSubscriber : IChannelSubscriber
    {
        private readonly ConcurrentQueue<long> _seqs = new();
        private readonly SemaphoreSlim _delivered = new(0);

        public Guid SocketId { get; } = Guid.NewGuid();

        public long UserId => 0;

        public void DeliverMessage(long channelId, long seq, byte[] frame, RequestOrigin? origin)
        {
            _seqs.Enqueue(seq);
            _delivered.Release();
        }

        public void Deliver(long channelId, byte[] frame, bool droppable)
        {
        }

        public void ForceLeave(long channelId)
        {
        }

        /// <summary>Waits for <paramref name="count"/> more deliveries; returns every seq delivered so far.</summary>
        public async Task<long[]> WaitForAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _delivered.WaitAsync();
            }
            return [.. _seqs];
        }
    }
}
