using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// Gateway sessions mirrored in Redis, so that a RESUME on any node can take a session over: per session a hash
/// (<see cref="RedisKeys.GatewaySession"/>: user, credential hash, last <c>s</c>, holder node, hand-off state)
/// and a list of its latest dispatches (<see cref="RedisKeys.GatewaySessionDispatches"/>, capped at
/// <see cref="GatewayMirrorLimits.ResumeBufferSize"/>), both expiring <see cref="GatewayMirrorLimits.ResumeWindow"/> after
/// the last write.
/// </summary>
/// <remarks>
/// <para>
/// Writes are fire-and-forget Lua scripts sent on one connection, so Redis applies them in the order a session
/// made them. Only the holder named in the hash may append, touch or delete, so a node wrongly thought dead
/// cannot write over the node that took its session.
/// </para>
/// <para>
/// Hand-off: the claiming node sets <c>claim</c> (refused while another claim runs), publishes
/// <see cref="GatewaySessionClaimed"/> behind every publication it had already delivered locally, then polls until
/// the holder sets <c>released</c> (after its last append) or the holder's liveness key is gone (it died), and
/// reads the list. Giving up (timeout, Redis error, socket closed) deletes the mirror: the holder drops the session
/// when the claim reaches it, so it could not resume anywhere anyway.
/// </para>
/// </remarks>
internal sealed class RedisGatewaySessionMirror(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    NodeIdentity node,
    Lazy<RedisMessageBus> bus,
    GatewayMirrorLimits limits,
    ILogger<RedisGatewaySessionMirror> logger) : IGatewaySessionMirror
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    // KEYS[1] hash, KEYS[2] list. ARGV: user, credential hash, node, ttl ms.
    private const string OpenScript = """
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('HSET', KEYS[1], 'user', ARGV[1], 'cred', ARGV[2], 'node', ARGV[3], 'last', '1')
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        """;

    // ARGV: node, seq, entry, cap, ttl ms. A mirror that expired or moved to another node is left alone.
    private const string AppendScript = """
        if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] then return 0 end
        redis.call('RPUSH', KEYS[2], ARGV[3])
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
        redis.call('HSET', KEYS[1], 'last', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return 1
        """;

    // ARGV: node, ttl ms.
    private const string TouchScript = """
        if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        return 1
        """;

    // ARGV: node.
    private const string DeleteScript = """
        if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] then return 0 end
        return redis.call('DEL', KEYS[1], KEYS[2])
        """;

    // ARGV: claim, node.
    private const string ReleaseScript = """
        local h = redis.call('HMGET', KEYS[1], 'node', 'claim')
        if h[1] ~= ARGV[2] or h[2] ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'released', ARGV[1])
        return 1
        """;

    // ARGV: claim, node, ttl ms.
    private const string AdoptScript = """
        if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'node', ARGV[2])
        redis.call('HDEL', KEYS[1], 'claim', 'released')
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    // ARGV: claim, node, ttl ms.
    private const string ClaimScript = """
        local h = redis.call('HMGET', KEYS[1], 'node', 'claim')
        if not h[1] then return 'gone' end
        if h[2] then return 'busy' end
        if h[1] == ARGV[2] then return 'self' end
        redis.call('HSET', KEYS[1], 'claim', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 'ok'
        """;

    // ARGV: claim, liveness key prefix.
    private const string PollScript = """
        local h = redis.call('HMGET', KEYS[1], 'node', 'claim', 'released')
        if not h[1] or h[2] ~= ARGV[1] then return 'gone' end
        if h[3] == ARGV[1] then return 'released' end
        if redis.call('EXISTS', ARGV[2] .. h[1]) == 0 then return 'dead' end
        return 'waiting'
        """;

    // ARGV: claim. Returns the last s followed by the entries, oldest first.
    private const string ReadScript = """
        local h = redis.call('HMGET', KEYS[1], 'last', 'claim')
        if not h[1] or h[2] ~= ARGV[1] then return false end
        local entries = redis.call('LRANGE', KEYS[2], 0, -1)
        table.insert(entries, 1, h[1])
        return entries
        """;

    // ARGV: claim.
    private const string AbandonScript = """
        if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
        return redis.call('DEL', KEYS[1], KEYS[2])
        """;

    private readonly GatewayMirrorLimits _limits = limits;
    private readonly string _node = node.Id.ToString("N");

    private long TtlMilliseconds => (long)Math.Max(1, _limits.ResumeWindow.TotalMilliseconds);

    public bool Enabled => true;

    public void Open(string sessionId, long userId, string credentialHash) =>
        Send(OpenScript, sessionId, userId, credentialHash, _node, TtlMilliseconds);

    public void Append(string sessionId, long seq, MirroredDispatch dispatch) =>
        Send(AppendScript, sessionId, _node, seq, Encode(seq, dispatch), _limits.ResumeBufferSize, TtlMilliseconds);

    public void Touch(string sessionId) => Send(TouchScript, sessionId, _node, TtlMilliseconds);

    public void Release(string sessionId, Guid claimId) => Send(ReleaseScript, sessionId, claimId.ToString("N"), _node);

    public void Adopt(string sessionId, Guid claimId) => Send(AdoptScript, sessionId, claimId.ToString("N"), _node, TtlMilliseconds);

    public void Delete(string sessionId) => Send(DeleteScript, sessionId, _node);

    public async Task<MirroredSessionHeader?> ReadAsync(string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            var fields = await redis.GetDatabase().HashGetAsync(keys.GatewaySession(sessionId), ["user", "cred", "last"])
                .WaitAsync(CommandTimeout, cancellationToken);
            return fields[0].TryParse(out long userId) && fields[1].HasValue && fields[2].TryParse(out long last)
                ? new MirroredSessionHeader(userId, fields[1].ToString(), last)
                : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisLog.GatewayMirrorUnavailable(logger, ex);
            return null;
        }
    }

    public async Task<GatewayClaimResult> ClaimAsync(string sessionId, Guid claimId, CancellationToken cancellationToken)
    {
        var claim = claimId.ToString("N");
        var claimed = false;
        try
        {
            var status = (string?)await EvaluateAsync(ClaimScript, sessionId, cancellationToken, claim, _node, TtlMilliseconds);
            switch (status)
            {
                case "busy":
                    return GatewayClaimResult.Refused("another node is taking the session over");
                case not "ok":
                    // Gone (expired, ended) or, oddly, last held here: either way nothing to take over.
                    return GatewayClaimResult.Refused("unknown session");
            }
            claimed = true;
            // Behind every publication this node delivered before the caller registered its copy of the session:
            // the holder numbers those before it hears of the claim, and the copy here gets all the later ones.
            await bus.Value.PublishAfterInFlightAsync(new GatewaySessionClaimed(sessionId, claimId), cancellationToken);
            var deadline = DateTime.UtcNow + _limits.ResumeHandoffTimeout;
            bool holderDied;
            while (true)
            {
                var state = (string?)await EvaluateAsync(PollScript, sessionId, cancellationToken, claim, keys.NodeAlivePrefix);
                if (state is "released" or "dead")
                {
                    holderDied = state == "dead";
                    break;
                }
                if (state != "waiting")
                {
                    return GatewayClaimResult.Refused("session ended during the hand-off");
                }
                if (DateTime.UtcNow >= deadline)
                {
                    await AbandonAsync(sessionId, claim);
                    return GatewayClaimResult.Refused("the node holding the session did not let it go in time");
                }
                await Task.Delay(PollInterval, cancellationToken);
            }
            var result = await EvaluateAsync(ReadScript, sessionId, cancellationToken, claim);
            if (result.IsNull)
            {
                return GatewayClaimResult.Refused("session ended during the hand-off");
            }
            var values = (RedisResult[])result!;
            var lastSeq = long.Parse((string)values[0]!, CultureInfo.InvariantCulture);
            var dispatches = new List<(long Seq, MirroredDispatch Dispatch)>(values.Length - 1);
            for (var i = 1; i < values.Length; i++)
            {
                dispatches.Add(Decode((byte[])values[i]!));
            }
            return new GatewayClaimResult(new MirroredSession(lastSeq, dispatches, holderDied), null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            if (claimed)
            {
                await AbandonAsync(sessionId, claim);
            }
            if (ex is OperationCanceledException)
            {
                return GatewayClaimResult.Refused("socket closed during the hand-off");
            }
            RedisLog.GatewayMirrorUnavailable(logger, ex);
            return GatewayClaimResult.Refused("Redis unavailable");
        }
    }

    /// <summary>Gives a claim up: the session can resume nowhere now (the holder drops it on hearing the claim).</summary>
    private async Task AbandonAsync(string sessionId, string claim)
    {
        try
        {
            await EvaluateAsync(AbandonScript, sessionId, CancellationToken.None, claim);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The mirror expires by itself; nobody else can claim it meanwhile, since the claim is still set.
            RedisLog.GatewayMirrorUnavailable(logger, ex);
        }
    }

    private Task<RedisResult> EvaluateAsync(string script, string sessionId, CancellationToken cancellationToken, params RedisValue[] values) =>
        redis.GetDatabase().ScriptEvaluateAsync(script, [keys.GatewaySession(sessionId), keys.GatewaySessionDispatches(sessionId)], values)
            .WaitAsync(CommandTimeout, cancellationToken);

    private void Send(string script, string sessionId, params RedisValue[] values)
    {
        try
        {
            redis.GetDatabase().ScriptEvaluate(script, [keys.GatewaySession(sessionId), keys.GatewaySessionDispatches(sessionId)], values, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The mirror falls behind or disappears: a RESUME elsewhere is then refused, never answered wrongly.
            RedisLog.GatewayMirrorWriteFailed(logger, sessionId, ex);
        }
    }

    /// <summary>An entry: <c>s</c>, workspace id (empty for none), <c>t</c> and event id, one per line, then the frame head.</summary>
    private static byte[] Encode(long seq, MirroredDispatch dispatch)
    {
        var header = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{seq}\n{dispatch.WorkspaceId}\n{dispatch.T}\n{dispatch.EventId:N}\n"));
        var entry = new byte[header.Length + dispatch.Head.Length];
        header.CopyTo(entry, 0);
        dispatch.Head.CopyTo(entry, header.Length);
        return entry;
    }

    private static (long Seq, MirroredDispatch Dispatch) Decode(byte[] entry)
    {
        var fields = new string[4];
        var start = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var end = Array.IndexOf(entry, (byte)'\n', start);
            fields[i] = Encoding.UTF8.GetString(entry, start, end - start);
            start = end + 1;
        }
        var workspaceId = fields[1].Length == 0 ? (long?)null : long.Parse(fields[1], CultureInfo.InvariantCulture);
        var dispatch = new MirroredDispatch(fields[2], workspaceId, entry[start..], Guid.ParseExact(fields[3], "N"));
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), dispatch);
    }
}
