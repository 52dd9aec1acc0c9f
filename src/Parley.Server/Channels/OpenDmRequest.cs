namespace Parley.Server.Channels;

public sealed record OpenDmRequest(long? UserId);
