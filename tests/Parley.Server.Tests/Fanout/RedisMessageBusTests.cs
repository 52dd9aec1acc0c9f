using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Server.Fanout;
using Parley.Server.Fanout.Redis;
using Parley.Server.Operations;
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

    protected override async Task<IReadOnlyList<(IMessageBus Bus, RecordingListener Listener)>> CreateClusterAsync()
    {
        var options = Options.Create(new RedisOptions { Prefix = $"spec{Guid.NewGuid():N}", ConfirmTimeout = TimeSpan.FromSeconds(10) });
        var keys = new RedisKeys(options);
        var nodes = new List<(IMessageBus, RecordingListener)>();
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _owned.Add(services);
        var metrics = new ParleyMetrics(services.GetRequiredService<IMeterFactory>());
        for (var i = 0; i < 2; i++)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
            _owned.Add(connection);
            var listener = new RecordingListener();
            var identity = new NodeIdentity();
            // What RedisScaleOutService does at start: the node is known and alive, so confirmations wait for it.
            await connection.GetDatabase().SetAddAsync(keys.Nodes, identity.Id.ToString("N"));
            await connection.GetDatabase().StringSetAsync(keys.NodeAlive(identity.Id), "1", TimeSpan.FromMinutes(1));
            var bus = new RedisMessageBus(connection, keys, identity, [listener], options, metrics, NullLogger<RedisMessageBus>.Instance);
            await bus.StartAsync(CancellationToken.None);
            _owned.Add(new AsyncDisposable(() => bus.StopAsync(CancellationToken.None)));
            nodes.Add((bus, listener));
        }
        return nodes;
    }

    private sealed class AsyncDisposable(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}
