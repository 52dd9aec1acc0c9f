namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="MemberRemoved"/>.</summary>
public sealed record BusMemberRemoved(long Workspace, long UserId) : BusEvent;
