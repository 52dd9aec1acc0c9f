using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>Every Redis key and pub/sub channel name Parley uses, built in one place.</summary>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    private readonly string _prefix = options.Value.Prefix;

    /// <summary>The pub/sub channel that carries every <see cref="ChatEvent"/> between nodes.</summary>
    public RedisChannel Events => RedisChannel.Literal($"{_prefix}:events");

    /// <summary>Set of <c>node|socket</c> members: one user's sockets in one channel, across nodes.</summary>
    public RedisKey Presence(long channelId, long userId) => $"{_prefix}:presence:{channelId}:{userId}";

    /// <summary>Hash of the users online in one channel (user id → username), kept beside their presence sets.</summary>
    public RedisKey ChannelOnline(long channelId) => $"{_prefix}:channel-online:{channelId}";

    /// <summary>Prefix of node liveness keys; a node's key expires when it stops renewing it.</summary>
    public string NodeAlivePrefix => $"{_prefix}:node:";

    public RedisKey NodeAlive(Guid nodeId) => $"{NodeAlivePrefix}{nodeId:N}";

    /// <summary>Set of every node id that may hold presence entries.</summary>
    public RedisKey Nodes => $"{_prefix}:nodes";

    /// <summary>A node's presence entries (JSON <see cref="PresenceEntry"/>), for cleaning up after it dies.</summary>
    public RedisKey NodePresence(Guid nodeId) => $"{_prefix}:node-presence:{nodeId:N}";

    /// <summary>The lock a node takes to clean up after a dead node, so only one does.</summary>
    public RedisKey NodeSweepLock(Guid nodeId) => $"{_prefix}:node-sweep:{nodeId:N}";

    /// <summary>A user's send bucket.</summary>
    public RedisKey RateLimit(long userId) => $"{_prefix}:ratelimit:{userId}";

    /// <summary>
    /// Hash mirroring a gateway session for RESUME on another node: <c>user</c>, <c>cred</c> (credential hash),
    /// <c>last</c> (last <c>s</c>), <c>node</c> (the holder), and during a hand-off <c>claim</c> and <c>released</c>.
    /// </summary>
    public RedisKey GatewaySession(string sessionId) => $"{_prefix}:gw-session:{sessionId}";

    /// <summary>List of a gateway session's latest dispatches, oldest first, capped at the resume buffer size.</summary>
    public RedisKey GatewaySessionDispatches(string sessionId) => $"{_prefix}:gw-dispatches:{sessionId}";
}
