using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Fanout.Redis;
using Parley.Server.Operations;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace Parley.Server.Tests.Fanout;

/// <summary>The Redis bus on a real redis-server: two nodes, each with its own connection and node id.</summary>
public sealed class RedisMessageBusTests : MessageBusSpecification
{
    private readonly List<IAsyncDisposable> _owned = [];
    private RedisServer _redis = null!;

    public override async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public override async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
        await _redis.DisposeAsync();
    }

    // The specification's events are all of workspace 3 (users 5 and 6), which every node of its cluster serves.
    protected override async Task<IReadOnlyList<(IMessageBus Bus, RecordingListener Listener)>> CreateClusterAsync() =>
        [.. (await CreateNodesAsync([BusInterest.Workspace(3)], [BusInterest.Workspace(3)])).Select(n => (n.Bus, n.Listener))];

    [Fact]
    public async Task ANodeReceivesNothingOfAWorkspaceItServesNoSocketOf()
    {
        var nodes = await CreateNodesAsync([BusInterest.Workspace(3)], [BusInterest.Workspace(4)]);
        var busy = new ChannelRecord(7, 3, "busy", ChannelTypes.Text, null, null, null, 0, T0);
        var other = new ChannelRecord(8, 4, "other", ChannelTypes.Text, null, null, null, 0, T0);

        for (var seq = 1; seq <= 200; seq++)
        {
            await nodes[0].Bus.PublishAsync(Message(busy, seq));
        }
        // Published after the busy channel's 200 from the same node: once it is there, they would have been too.
        await nodes[0].Bus.PublishAsync(Message(other, 1));
        await nodes[1].Listener.WaitForAsync(e => e is MessageCreated { Channel.Id: 8 });

        Assert.DoesNotContain(nodes[1].Listener.Events, e => e.WorkspaceId == 3);
        Assert.Equal(201, nodes[0].Listener.Events.Count);
    }

    [Fact]
    public async Task ADmReachesOnlyTheNodesServingOneOfItsTwoUsers()
    {
        // Node 0 serves ana (5), node 1 ben (6), node 2 cy (7), who is not in the DM of ana and ben.
        var nodes = await CreateNodesAsync([BusInterest.User(5)], [BusInterest.User(6)], [BusInterest.User(7)]);
        var dm = new ChannelRecord(9, null, "dm", ChannelTypes.Dm, null, 5, 6, 0, T0);
        var cyDm = new ChannelRecord(10, null, "dm", ChannelTypes.Dm, null, 5, 7, 0, T0);

        for (var seq = 1; seq <= 50; seq++)
        {
            await nodes[0].Bus.PublishAsync(Message(dm, seq));
        }
        await nodes[0].Bus.PublishAsync(new TypingChanged(5, "ana", dm, Started: true));
        // Typing to a user with no DM yet goes to that user's nodes alone.
        await nodes[0].Bus.PublishAsync(new DirectTypingStarted(5, "ana", 6));
        // Published last from the same node: once cy's node has it, it would have had the others too.
        await nodes[0].Bus.PublishAsync(Message(cyDm, 1));

        await nodes[1].Listener.WaitForAsync(e => e is DirectTypingStarted);
        await nodes[2].Listener.WaitForAsync(e => e is MessageCreated { Channel.Id: 10 });
        Assert.Equal(50, nodes[1].Listener.Events.Count(e => e is MessageCreated { Channel.Id: 9 }));
        Assert.DoesNotContain(nodes[1].Listener.Events, e => e is MessageCreated { Channel.Id: 10 });
        Assert.Contains(nodes[1].Listener.Events, e => e is TypingChanged);
        Assert.DoesNotContain(nodes[2].Listener.Events, e => e is MessageCreated { Channel.Id: 9 } or TypingChanged or DirectTypingStarted);
    }

    [Fact]
    public async Task AMemberAddedAnywhereGetsTheWorkspacesNextEventsOnTheNodeThatServesThem()
    {
        // Node 1 serves user 6, who is in no workspace yet: it serves none.
        var nodes = await CreateNodesAsync([BusInterest.Workspace(3)], [BusInterest.User(6)]);
        var channel = new ChannelRecord(7, 3, "general", ChannelTypes.Text, null, null, null, 0, T0);

        await nodes[0].Bus.PublishAsync(Message(channel, 1));
        await nodes[0].Bus.PublishAsync(new MemberAdded(3, 6));
        await nodes[0].Bus.PublishAsync(Message(channel, 2));

        await nodes[1].Listener.WaitForAsync(e => e is MessageCreated { Message.Seq: 2 });
        Assert.Equal(["member_added 3/6", "message 2"], nodes[1].Listener.Events.Select(Describe));
    }

    [Fact]
    public async Task ASweptNodeLeavesEveryInterestSet()
    {
        var nodes = await CreateNodesAsync([BusInterest.Workspace(3), BusInterest.User(6)], [BusInterest.Workspace(3)]);
        var db = nodes[0].Connection.GetDatabase();
        Assert.True(await db.SetContainsAsync(nodes[0].Keys.Interest(BusInterest.User(6)), nodes[0].Node.Id.ToString("N")));
        Assert.Equal(2, await db.SetLengthAsync(nodes[0].Keys.NodeInterests(nodes[0].Node.Id)));

        nodes[0].Interest.Remove(BusInterest.User(6));
        nodes[0].Interest.Add(BusInterest.Workspace(4));
        Assert.True(await nodes[0].Interest.RegisteredAsync());

        Assert.False(await db.SetContainsAsync(nodes[0].Keys.Interest(BusInterest.User(6)), nodes[0].Node.Id.ToString("N")));
        Assert.Equal(
            [nodes[0].Keys.Interest(BusInterest.Workspace(3)).ToString(), nodes[0].Keys.Interest(BusInterest.Workspace(4)).ToString()],
            (await db.SetMembersAsync(nodes[0].Keys.NodeInterests(nodes[0].Node.Id))).Select(m => m.ToString()).Order());
    }

    private static readonly DateTime T0 = new(2026, 11, 26, 17, 0, 0, DateTimeKind.Utc);

    private static MessageCreated Message(ChannelRecord channel, long seq) =>
        new(new StoredMessage(1000 + seq, channel.Id, seq, 5, "ana", $"message {seq}", "text", null, null, T0.AddSeconds(seq), false, null), channel);

    private static string Describe(ChatEvent chatEvent) => chatEvent switch
    {
        MessageCreated created => $"message {created.Message.Seq}",
        MemberAdded added => $"member_added {added.Workspace}/{added.UserId}",
        _ => chatEvent.GetType().Name,
    };

    private sealed record TestNode(IMessageBus Bus, RecordingListener Listener, RedisBusInterest Interest, IConnectionMultiplexer Connection, RedisKeys Keys, NodeIdentity Node);

    /// <summary>One node per argument; each serves (has registered) the interests given for it.</summary>
    private async Task<IReadOnlyList<TestNode>> CreateNodesAsync(params BusInterest[][] served)
    {
        var options = Options.Create(new RedisOptions { Prefix = $"spec{Guid.NewGuid():N}", ConfirmTimeout = TimeSpan.FromSeconds(10) });
        var keys = new RedisKeys(options);
        var nodes = new List<TestNode>();
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _owned.Add(services);
        var metrics = new ParleyMetrics(services.GetRequiredService<IMeterFactory>());
        foreach (var interests in served)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
            _owned.Add(connection);
            var listener = new RecordingListener();
            var identity = new NodeIdentity();
            // What RedisScaleOutService does at start: the node is known and alive, so confirmations wait for it.
            await connection.GetDatabase().SetAddAsync(keys.Nodes, identity.Id.ToString("N"));
            await connection.GetDatabase().StringSetAsync(keys.NodeAlive(identity.Id), "1", TimeSpan.FromMinutes(1));
            var interest = new RedisBusInterest(connection, keys, identity, options, NullLogger<RedisBusInterest>.Instance);
            foreach (var one in interests)
            {
                interest.Add(one);
            }
            Assert.True(await interest.RegisteredAsync());
            var bus = new RedisMessageBus(connection, keys, identity, [listener], options, metrics, NullLogger<RedisMessageBus>.Instance);
            await bus.StartAsync(CancellationToken.None);
            _owned.Add(new AsyncDisposable(() => bus.StopAsync(CancellationToken.None)));
            nodes.Add(new TestNode(bus, listener, interest, connection, keys, identity));
        }
        return nodes;
    }

    private sealed class AsyncDisposable(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}
