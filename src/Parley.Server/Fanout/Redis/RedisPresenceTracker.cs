using System.Text.Json;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// Presence shared by every node: one Redis set per (channel, user) holding <c>node|socket</c> members,
/// changed by Lua scripts so "first socket" and "last socket" are decided atomically across nodes; the same
/// scripts keep a hash per channel of the users whose set is not empty, for listing who is online there. Members
/// of nodes whose liveness key has expired are dropped as they are met, and
/// <see cref="RedisScaleOutService"/> announces the users a dead node took offline.
/// </summary>
public sealed class RedisPresenceTracker(IConnectionMultiplexer redis, RedisKeys keys, NodeIdentity node, ILogger<RedisPresenceTracker> logger) : IPresenceTracker
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    // KEYS[1] presence set, KEYS[2] node's entry index; ARGV[1] member, ARGV[2] alive-key prefix, ARGV[3] own node, ARGV[4] entry.
    private const string DropDeadMembers = """
        for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local owner = string.sub(m, 1, string.find(m, '|', 1, true) - 1)
          if owner ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. owner) == 0 then
            redis.call('SREM', KEYS[1], m)
          end
        end
        """;

    private static readonly LuaScript AddScript = LuaScript.Prepare(DropDeadMembers.Replace("KEYS[1]", "@presence").Replace("ARGV[2]", "@alivePrefix").Replace("ARGV[3]", "@self") + "\n" + """
        redis.call('SADD', @index, @entry)
        redis.call('HSET', @online, @user, @username)
        local added = redis.call('SADD', @presence, @member)
        if added == 1 and redis.call('SCARD', @presence) == 1 then return 1 end
        return 0
        """);

    // The socket's own member goes first: when a sweeper removes a dead node's member, the clean-up of
    // dead members must not have removed it already, or nobody would announce the user offline.
    private static readonly LuaScript RemoveScript = LuaScript.Prepare("""
        redis.call('SREM', @index, @entry)
        local removed = redis.call('SREM', @presence, @member)
        """ + "\n" + DropDeadMembers.Replace("KEYS[1]", "@presence").Replace("ARGV[2]", "@alivePrefix").Replace("ARGV[3]", "@self") + "\n" + """
        local empty = redis.call('SCARD', @presence) == 0
        if empty then redis.call('HDEL', @online, @user) end
        if removed == 1 and empty then return 1 end
        return 0
        """);

    public ValueTask<bool> AddAsync(PresenceEntry entry) => RunAsync(AddScript, entry, node.Id);

    public ValueTask<bool> RemoveAsync(PresenceEntry entry) => RunAsync(RemoveScript, entry, node.Id);

    /// <summary>Removes an entry held by another (dead) node; true when that took the user offline.</summary>
    public ValueTask<bool> RemoveForNodeAsync(PresenceEntry entry, Guid owner) => RunAsync(RemoveScript, entry, owner);

    public async ValueTask<IReadOnlyList<OnlineUser>> ListOnlineAsync(long channelId)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(keys.ChannelOnline(channelId)).WaitAsync(Timeout);
        return [.. entries.Select(e => new OnlineUser((long)e.Name, e.Value.ToString()))];
    }

    public static string Serialize(PresenceEntry entry) => JsonSerializer.Serialize(entry);

    public static PresenceEntry? Deserialize(string text) => JsonSerializer.Deserialize<PresenceEntry>(text);

    private async ValueTask<bool> RunAsync(LuaScript script, PresenceEntry entry, Guid owner)
    {
        try
        {
            var result = await redis.GetDatabase().ScriptEvaluateAsync(script, new
            {
                presence = keys.Presence(entry.ChannelId, entry.UserId),
                index = keys.NodePresence(owner),
                member = $"{owner:N}|{entry.SocketId:N}",
                online = keys.ChannelOnline(entry.ChannelId),
                user = entry.UserId,
                username = entry.Username,
                alivePrefix = keys.NodeAlivePrefix,
                self = node.Id.ToString("N"),
                entry = Serialize(entry),
            }).WaitAsync(Timeout);
            return (int)result == 1;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Presence is advisory: without Redis, announce nothing rather than hold up the socket.
            RedisLog.BackgroundFailed(logger, ex);
            return false;
        }
    }
}
