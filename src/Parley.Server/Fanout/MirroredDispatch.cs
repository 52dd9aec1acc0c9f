namespace Parley.Server.Fanout;

/// <summary>
/// A gateway dispatch as the session mirror keeps it: its event name (<c>t</c>), the workspace it belongs to (null for
/// none), the encoded frame up to its <c>s</c> value, and the id of the event it came from. The gateway maps its own
/// dispatches to and from this record, so the mirror needs nothing of the gateway.
/// </summary>
internal sealed record MirroredDispatch(string T, long? WorkspaceId, byte[] Head, Guid EventId);
