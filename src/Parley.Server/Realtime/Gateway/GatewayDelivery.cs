using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Gateway;

/// <summary>
/// A dispatch and the sessions it goes to, chosen from the membership index when the event was published.
/// <see cref="Dispatch"/> is null for a GUILD_CREATE that still has to read the workspace and its channels
/// (<see cref="GuildToLoad"/>, for event <see cref="EventId"/>), and for a <see cref="Claim"/>, which releases the
/// sessions in the queue's order: after every dispatch queued before it.
/// </summary>
internal sealed record GatewayDelivery(
    GatewaySession[] To,
    GatewayDispatch? Dispatch,
    long? GuildToLoad,
    string EventType,
    Guid EventId = default,
    GatewaySessionClaimed? Claim = null);
