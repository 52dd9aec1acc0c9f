namespace Parley.Server.Fanout.Wire;

/// <summary>On the wire: <see cref="WorkspaceCreated"/>.</summary>
public sealed record BusWorkspaceCreated(BusWorkspace Workspace) : BusEvent;
