using System.Text.Json;
using Parley.Server.Fanout;
using Parley.Server.Fanout.Wire;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Fanout;

/// <summary>
/// What every <see cref="IMessageBus"/> guarantees (its doc comment), checked on each backend by a subclass.
/// A backend that can span nodes is checked with two nodes; the in-memory bus is a one-node cluster.
/// </summary>
public abstract class MessageBusSpecification : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The nodes of one cluster, each a bus with one recording listener.</summary>
    protected abstract Task<IReadOnlyList<(IMessageBus Bus, RecordingListener Listener)>> CreateClusterAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static readonly ChannelRecord Channel = new(7, 3, "general", ChannelTypes.Text, null, null, null, 0, new DateTime(2026, 11, 26, 17, 0, 0, DateTimeKind.Utc));

    private static MessageCreated Message(long seq) =>
        new(new StoredMessage(1000 + seq, Channel.Id, seq, 5, "ana", $"message {seq}", "text", null, $"c{seq}", Channel.CreatedAt.AddSeconds(seq), false, null), Channel);

    [Fact]
    public async Task ThePublishingNodesListenersGetEachEventOnceBeforePublishReturns()
    {
        var cluster = await CreateClusterAsync();
        var (bus, listener) = cluster[0];
        for (var seq = 1; seq <= 50; seq++)
        {
            await bus.PublishAsync(Message(seq));
            Assert.Equal(seq, listener.Events.Count);
        }
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), listener.Events.Cast<MessageCreated>().Select(e => e.Message.Seq));
    }

    [Fact]
    public async Task AConfirmedPublicationHasReachedEveryNodesListenersWhenItReturns()
    {
        var cluster = await CreateClusterAsync();
        for (var userId = 1; userId <= 20; userId++)
        {
            var removed = new MemberRemoved(3, userId);
            Assert.True(await cluster[0].Bus.PublishConfirmedAsync(removed));
            foreach (var (_, listener) in cluster)
            {
                // No waiting: "confirmed" means every node has applied it already.
                Assert.Contains(listener.Events, e => e.EventId == removed.EventId);
            }
        }
    }

    [Fact]
    public async Task EveryNodeGetsEachEventOnceInPublishOrder()
    {
        var cluster = await CreateClusterAsync();
        const int count = 500;
        for (var seq = 1; seq <= count; seq++)
        {
            await cluster[0].Bus.PublishAsync(Message(seq));
        }
        foreach (var (_, listener) in cluster)
        {
            await listener.WaitForCountAsync(count, Timeout);
        }
        await Task.Delay(200);
        foreach (var (_, listener) in cluster)
        {
            Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), listener.Events.Cast<MessageCreated>().Select(e => e.Message.Seq));
        }
    }

    [Fact]
    public async Task PublishersOnSeveralNodesReachEveryNode()
    {
        var cluster = await CreateClusterAsync();
        for (var node = 0; node < cluster.Count; node++)
        {
            await cluster[node].Bus.PublishAsync(Message(node + 1));
        }
        foreach (var (_, listener) in cluster)
        {
            await listener.WaitForCountAsync(cluster.Count, Timeout);
        }
        await Task.Delay(200);
        foreach (var (_, listener) in cluster)
        {
            Assert.Equal(Enumerable.Range(1, cluster.Count).Select(i => (long)i), listener.Events.Cast<MessageCreated>().Select(e => e.Message.Seq).Order());
        }
    }

    [Fact]
    public async Task EveryKindOfEventArrivesIntact()
    {
        var cluster = await CreateClusterAsync();
        var workspace = new WorkspaceRecord(3, "team", "desc", 5, Channel.CreatedAt);
        ChatEvent[] events =
        [
            Message(1),
            new MessageUpdated(Message(2).Message with { Content = "edited", EditedAt = Channel.CreatedAt.AddMinutes(5) }, [6, 8], Channel),
            new MessageDeleted(1001, Channel),
            new MessageRead(1001, 6, 5, Channel, Channel.CreatedAt, Guid.NewGuid()),
            new TypingChanged(6, "ben", Channel, Started: true),
            new PresenceChanged(6, "ben", Channel.Id, 3, Online: false),
            new ChannelCreated(Channel),
            new WorkspaceCreated(workspace),
            new MemberAdded(3, 6),
            new MemberRemoved(3, 6),
            new CredentialRevoked("abc123"),
        ];
        foreach (var chatEvent in events)
        {
            await cluster[0].Bus.PublishAsync(chatEvent);
        }
        foreach (var (_, listener) in cluster)
        {
            await listener.WaitForCountAsync(events.Length, Timeout);
            Assert.Equal(events.Select(Describe), listener.Events.Select(Describe));
        }
    }

    // Records hold a per-instance frame cache, so compare what travels: the JSON of the wire form.
    private static string Describe(ChatEvent chatEvent) => JsonSerializer.Serialize(BusEventMapping.ToBus(chatEvent));
}
