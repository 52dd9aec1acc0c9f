namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="MemberAdded"/>.</summary>
public sealed record BusMemberAdded(long Workspace, long UserId) : BusEvent;
