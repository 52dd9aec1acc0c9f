using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>Every Redis key and pub/sub channel name Parley uses, built in one place.</summary>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    private readonly string _prefix = options.Value.Prefix;

    /// <summary>Prefix of the nodes' inboxes: the pub/sub channel a node receives other nodes' events on is this plus its id.</summary>
    public string InboxPrefix => $"{_prefix}:inbox:";

    /// <summary>The pub/sub channel on which <paramref name="nodeId"/> receives the events other nodes send it.</summary>
    public RedisChannel Inbox(Guid nodeId) => RedisChannel.Literal($"{InboxPrefix}{nodeId:N}");

    /// <summary>Set of the ids of the nodes that serve sockets of a workspace or a user (see <see cref="RedisBusInterest"/>).</summary>
    public RedisKey Interest(BusInterest interest) => interest.Kind switch
    {
        BusInterestKind.Workspace => $"{_prefix}:interest:ws:{interest.Id}",
        _ => $"{_prefix}:interest:user:{interest.Id}",
    };

    /// <summary>Set of the interest sets a node joined, for removing it from all of them after it dies.</summary>
    public RedisKey NodeInterests(Guid nodeId) => $"{_prefix}:node-interest:{nodeId:N}";

    /// <summary>The pub/sub channel on which other nodes confirm to <paramref name="nodeId"/> that they applied an event.</summary>
    public RedisChannel Confirmations(Guid nodeId) => RedisChannel.Literal($"{_prefix}:confirm:{nodeId:N}");

    /// <summary>Set of <c>node|socket</c> members: one user's sockets in one channel, across nodes.</summary>
    public RedisKey Presence(long channelId, long userId) => $"{_prefix}:presence:{channelId}:{userId}";

    /// <summary>Hash of the users online in a channel (user id → username), across nodes; kept with the presence sets.</summary>
    public RedisKey ChannelOnline(long channelId) => $"{_prefix}:online:{channelId}";

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
