using Parley.Server.Fanout;

namespace Parley.Server.Tests.Fanout;

/// <summary>The single-node bus: a cluster of one.</summary>
public sealed class InMemoryMessageBusTests : MessageBusSpecification
{
    protected override Task<IReadOnlyList<(IMessageBus Bus, RecordingListener Listener)>> CreateClusterAsync()
    {
        var listener = new RecordingListener();
        return Task.FromResult<IReadOnlyList<(IMessageBus, RecordingListener)>>([(new InMemoryMessageBus([listener]), listener)]);
    }
}
