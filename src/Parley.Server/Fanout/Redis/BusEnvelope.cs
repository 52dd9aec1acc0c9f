using Parley.Server.Fanout.Wire;

namespace Parley.Server.Fanout.Redis;

/// <summary>
/// What travels on the Redis channel: the publishing node and the event in its wire form (<see cref="BusEvent"/>); with
/// <see cref="Confirm"/>, every node that applies it says so on the publisher's confirmation channel (see
/// <see cref="RedisMessageBus.PublishConfirmedAsync"/>).
/// </summary>
public sealed record BusEnvelope(Guid Node, BusEvent Event, bool Confirm = false);
