namespace Parley.Server.Fanout.Redis;

/// <summary>
/// What travels on the Redis channel: the publishing node and the event; with <see cref="Confirm"/>, every node
/// that applies it says so on the publisher's confirmation channel (see <see cref="RedisMessageBus.PublishConfirmedAsync"/>).
/// </summary>
public sealed record BusEnvelope(Guid Node, ChatEvent Event, bool Confirm = false);
