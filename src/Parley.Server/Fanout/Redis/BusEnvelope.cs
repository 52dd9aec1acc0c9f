namespace Parley.Server.Fanout.Redis;

/// <summary>What travels on the Redis channel: the publishing node and the event.</summary>
public sealed record BusEnvelope(Guid Node, ChatEvent Event);
