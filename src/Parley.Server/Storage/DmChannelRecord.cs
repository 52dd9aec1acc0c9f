namespace Parley.Server.Storage;

/// <summary>A DM channel with the other user of it, as one row of a user's DM list.</summary>
public sealed record DmChannelRecord(ChannelRecord Channel, UserRecord Partner);
