namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="ChannelCreated"/>.</summary>
public sealed record BusChannelCreated(BusChannel Channel) : BusEvent;
