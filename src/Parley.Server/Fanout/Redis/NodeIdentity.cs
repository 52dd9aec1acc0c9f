namespace Parley.Server.Fanout.Redis;

/// <summary>This process's identity among the nodes: publications carry it so a node skips its own.</summary>
public sealed class NodeIdentity
{
    public Guid Id { get; } = Guid.NewGuid();
}
