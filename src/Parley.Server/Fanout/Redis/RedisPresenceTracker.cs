using System.Text.Json;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// Presence shared by every node: one Redis set per (channel, user) holding <c>node|socket</c> members,
/// changed by Lua scripts so "first socket" and "last socket" are decided atomically across nodes. Members
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
        local added = redis.call('SADD', @presence, @member)
        redis.call('HSET', @online, @userId, @username)
        if added == 1 and redis.call('SCARD', @presence) == 1 then return 1 end
        return 0
        """);

    // The socket's own member goes first: when a sweeper removes a dead node's member, the clean-up of
    // dead members must not have removed it already, or nobody would announce the user offline.
    private static readonly LuaScript RemoveScript = LuaScript.Prepare("""
        redis.call('SREM', @index, @entry)
        local removed = redis.call('SREM', @presence, @member)
        """ + "\n" + DropDeadMembers.Replace("KEYS[1]", "@presence").Replace("ARGV[2]", "@alivePrefix").Replace("ARGV[3]", "@self") + "\n" + """
        if redis.call('SCARD', @presence) == 0 then
          redis.call('HDEL', @online, @userId)
          if removed == 1 then return 1 end
        end
        return 0
        """);

    // KEYS: channels' online hashes; one reply per key, its field/value list (HGETALL's), in the order of KEYS.
    private const string ListOnlineScript = """
        local result = {}
        for i, key in ipairs(KEYS) do result[i] = redis.call('HGETALL', key) end
        return result
        """;

    /// <summary>
    /// Channels read by one script run of <see cref="ListOnlineAsync(IReadOnlyCollection{long})"/>: a READY of 100
    /// guilds × 200 channels is 40 round trips instead of 20,000, and no run holds Redis for long (each hash holds a
    /// channel's online users).
    /// </summary>
    public const int ListOnlineBatch = 500;

    public ValueTask<bool> AddAsync(PresenceEntry entry) => RunAsync(AddScript, entry, node.Id);

    public ValueTask<bool> RemoveAsync(PresenceEntry entry) => RunAsync(RemoveScript, entry, node.Id);

    /// <summary>Removes an entry held by another (dead) node; true when that took the user offline.</summary>
    public ValueTask<bool> RemoveForNodeAsync(PresenceEntry entry, Guid owner) => RunAsync(RemoveScript, entry, owner);

    public async ValueTask<IReadOnlyList<OnlineUser>> ListOnlineAsync(long channelId)
    {
        try
        {
            var online = await redis.GetDatabase().HashGetAllAsync(keys.ChannelOnline(channelId)).WaitAsync(Timeout);
            return [.. online.Select(e => new OnlineUser((long)e.Name, e.Value.ToString()))];
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Advisory, like announcements: without Redis the joiner learns presence from the changes that follow.
            RedisLog.BackgroundFailed(logger, ex);
            return [];
        }
    }

    public async ValueTask<IReadOnlyDictionary<long, IReadOnlyList<OnlineUser>>> ListOnlineAsync(IReadOnlyCollection<long> channelIds)
    {
        var result = new Dictionary<long, IReadOnlyList<OnlineUser>>(channelIds.Count);
        try
        {
            foreach (var batch in channelIds.Distinct().Chunk(ListOnlineBatch))
            {
                var replies = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ListOnlineScript, [.. batch.Select(keys.ChannelOnline)]).WaitAsync(Timeout))!;
                for (var i = 0; i < batch.Length; i++)
                {
                    var fields = (RedisResult[])replies[i]!;
                    var users = new OnlineUser[fields.Length / 2];
                    for (var k = 0; k < users.Length; k++)
                    {
                        users[k] = new OnlineUser((long)fields[2 * k], fields[(2 * k) + 1].ToString());
                    }
                    result[batch[i]] = users;
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Advisory, as for one channel: the channels not read are listed with nobody online.
            RedisLog.BackgroundFailed(logger, ex);
        }
        foreach (var channelId in channelIds)
        {
            result.TryAdd(channelId, []);
        }
        return result;
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
                alivePrefix = keys.NodeAlivePrefix,
                self = node.Id.ToString("N"),
                entry = Serialize(entry),
                online = keys.ChannelOnline(entry.ChannelId),
                userId = entry.UserId,
                username = entry.Username,
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
