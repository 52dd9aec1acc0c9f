using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Fanout;
using Parley.Server.Storage;
using Parley.Server.Workspaces;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// Turns bus events into gateway dispatches for this node's sessions. Recipients come from the node's
/// <see cref="MembershipIndex"/> (which holds every user with a session here) at the moment the event is published
/// (never a database query per session),
/// so a member removed before an event never receives it; DM messages go to the DM's two users only.
/// </summary>
/// <remarks>
/// GUILD_CREATE for a user just added needs the workspace and its channels from the store, so deliveries go
/// through one ordered queue: a session never sees a dispatch of a workspace before its GUILD_CREATE.
/// Every dispatch is serialized once, whatever the number of recipients (<see cref="GatewayDispatch"/>).
/// A <see cref="GatewaySessionClaimed"/> goes through the same queue (see <see cref="IGatewaySessionMirror"/>).
/// </remarks>
internal sealed class GatewayHub : BackgroundService, IChatEventListener
{
    private readonly GatewaySessionRegistry _sessions;
    private readonly MembershipIndex _memberships;
    private readonly ChatQueries _queries;
    private readonly int _channelLimit;
    private readonly ILogger<GatewayHub> _logger;
    private readonly OrderedDeliveryQueue<GatewayDelivery> _queue;

    public GatewayHub(GatewaySessionRegistry sessions, MembershipIndex memberships, ChatQueries queries, IOptions<RealtimeOptions> options,
        IOptions<GatewayOptions> gatewayOptions, ILogger<GatewayHub> logger)
    {
        _sessions = sessions;
        _memberships = memberships;
        _queries = queries;
        _channelLimit = gatewayOptions.Value.ReadyChannelLimit;
        _logger = logger;
        _queue = new OrderedDeliveryQueue<GatewayDelivery>(options.Value.DeliveryQueueCapacity);
    }

    public void OnEvent(ChatEvent chatEvent)
    {
        if (_sessions.Count == 0)
        {
            return;
        }
        switch (chatEvent)
        {
            case MessageCreated created:
                Deliver(Readers(created.Channel), () => GatewayFrames.Of(created));
                break;
            case MessageUpdated updated:
                Deliver(Readers(updated.Channel), () => GatewayFrames.Of(updated));
                break;
            case MessageDeleted deleted:
                Deliver(Readers(deleted.Channel), () => GatewayFrames.Of(deleted));
                break;
            case PinChanged pin:
                Deliver(Readers(pin.Channel), () => GatewayFrames.Of(pin));
                break;
            case ChannelCreated channel when channel.Channel.WorkspaceId is { } workspaceId:
                Deliver(Members(workspaceId), () => GatewayFrames.Of(channel));
                break;
            case PresenceChanged presence when presence.ChannelWorkspaceId is { } workspaceId:
                Deliver(Members(workspaceId), () => GatewayFrames.Of(presence));
                break;
            case WorkspaceCreated workspace:
                Deliver(Users(workspace.Workspace.OwnerId), () => GatewayFrames.Of(workspace));
                break;
            case MemberAdded added:
                // The new member learns the workspace first, then everyone (them included) hears of the member.
                if (_sessions.OfUser(added.UserId) is { Length: > 0 } joiner)
                {
                    Enqueue(new GatewayDelivery(joiner, null, added.Workspace, nameof(MemberAdded), added.EventId));
                }
                Deliver(Members(added.Workspace, including: added.UserId), () => GatewayFrames.MemberAdded(added));
                break;
            case MemberRemoved removed:
                // Not relying on the index having seen the removal first: the removed user is excluded explicitly.
                Deliver(Users(removed.UserId), () => GatewayFrames.GuildDelete(removed));
                Deliver(Members(removed.Workspace, excluding: removed.UserId), () => GatewayFrames.MemberRemoved(removed));
                break;
            case GatewaySessionClaimed claimed when _sessions.Find(claimed.SessionId) is { } held && held.ClaimId != claimed.ClaimId:
                // Another node takes the session over. Released through the queue, so that every dispatch this
                // node received before the claim is numbered (and mirrored) first. The claiming copy itself,
                // which hears its own claim, has that claim's id and is left alone.
                Enqueue(new GatewayDelivery([held], null, null, nameof(GatewaySessionClaimed), claimed.EventId, claimed));
                break;
        }
    }

    /// <summary>Who hears of a channel's messages: a DM's two users (a DM concerns no workspace), else the workspace's members.</summary>
    private GatewaySession[] Readers(ChannelRecord channel) =>
        channel.IsDm ? Users(channel.DmUserLow!.Value, channel.DmUserHigh!.Value)
        : channel.WorkspaceId is { } workspaceId ? Members(workspaceId)
        : [];

    private GatewaySession[] Users(params ReadOnlySpan<long> userIds)
    {
        var sessions = new List<GatewaySession>();
        for (var i = 0; i < userIds.Length; i++)
        {
            if (i == 0 || !userIds[..i].Contains(userIds[i]))
            {
                sessions.AddRange(_sessions.OfUser(userIds[i]));
            }
        }
        return [.. sessions];
    }

    private GatewaySession[] Members(long workspaceId, long? including = null, long? excluding = null)
    {
        var sessions = new List<GatewaySession>();
        var includedSeen = false;
        foreach (var userId in _memberships.LoadedMembersOf(workspaceId))
        {
            includedSeen |= userId == including;
            if (userId != excluding)
            {
                sessions.AddRange(_sessions.OfUser(userId));
            }
        }
        if (including is { } extra && !includedSeen)
        {
            sessions.AddRange(_sessions.OfUser(extra));
        }
        return [.. sessions];
    }

    private void Deliver(GatewaySession[] to, Func<GatewayDispatch> encode)
    {
        if (to.Length > 0)
        {
            var dispatch = encode();
            Enqueue(new GatewayDelivery(to, dispatch, null, dispatch.T));
        }
    }

    /// <summary>
    /// A delivery that does not fit ends its sessions: a RESUME could not replay what was never numbered, so the
    /// clients identify afresh and get a READY that holds it.
    /// </summary>
    private void Enqueue(GatewayDelivery delivery)
    {
        if (_queue.TryEnqueue(delivery))
        {
            return;
        }
        GatewayLog.QueueFull(_logger, delivery.EventType, delivery.To.Length);
        foreach (var session in delivery.To)
        {
            _sessions.End(session, "delivery queue full")?.Close(Protocol.CloseCodes.RateLimited, "Server too busy; reconnect");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in _queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (delivery.Claim is { } claim)
                {
                    foreach (var session in delivery.To)
                    {
                        _sessions.Release(session, claim.ClaimId);
                    }
                    continue;
                }
                var dispatch = delivery.Dispatch ?? await LoadGuildCreateAsync(delivery.GuildToLoad!.Value, delivery.EventId, stoppingToken);
                if (dispatch is null)
                {
                    continue;
                }
                foreach (var session in delivery.To)
                {
                    session.Dispatch(dispatch);
                }
            }
            catch (Exception ex)
            {
                GatewayLog.DeliveryFailed(_logger, delivery.EventType, ex);
            }
        }
    }

    private async Task<GatewayDispatch?> LoadGuildCreateAsync(long workspaceId, Guid eventId, CancellationToken cancellationToken)
    {
        return await _queries.GetWorkspaceWithChannelsAsync(workspaceId, _channelLimit, cancellationToken) is { } snapshot
            ? GatewayFrames.GuildCreate(GatewayFrames.ToGateway(snapshot), eventId)
            : null;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Complete();
        await base.StopAsync(cancellationToken);
    }
}
