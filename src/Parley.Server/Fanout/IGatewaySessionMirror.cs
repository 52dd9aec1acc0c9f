namespace Parley.Server.Fanout;

/// <summary>
/// A copy of this node's gateway sessions where other nodes can read it, so that a RESUME reaching another node
/// (the holder died, or the load balancer sent the client elsewhere) can take the session over.
/// </summary>
/// <remarks>
/// <para>
/// Writes (<see cref="Open"/>, <see cref="Append"/>, <see cref="Touch"/>, <see cref="Release"/>,
/// <see cref="Adopt"/>, <see cref="Delete"/>) are fire-and-forget so that dispatching is never slowed; a session
/// calls them under its lock, so they reach the mirror in <c>s</c> order. A write that fails leaves the mirror
/// behind or missing, never ahead: the worst outcome is an INVALID_SESSION elsewhere, never a wrong replay.
/// Only the node that holds a session writes its dispatches; the mirror lives
/// <see cref="GatewayMirrorLimits.ResumeWindow"/> (<c>Gateway:ResumeWindow</c>) after its last write.
/// </para>
/// <para>
/// A hand-off (<see cref="ClaimAsync"/>) is exact while the holder lives: the claim travels on the bus after
/// every event the claiming node had already seen, the holder numbers every event it received before the claim
/// and marks the mirror released after them, and the claiming node, which registered the session before
/// claiming, gets every later event itself. When the holder died, what it never mirrored is lost: the mirror is
/// taken as it is, and a client that saw more than it holds is refused.
/// </para>
/// </remarks>
internal interface IGatewaySessionMirror
{
    /// <summary>False on a single node: sessions resume only where they live.</summary>
    bool Enabled { get; }

    /// <summary>A session sent READY (<c>s</c> = 1) on this node.</summary>
    void Open(string sessionId, long userId, string credentialHash);

    /// <summary>This node numbered <paramref name="dispatch"/> as <paramref name="seq"/> for the session.</summary>
    void Append(string sessionId, long seq, MirroredDispatch dispatch);

    /// <summary>The session is still alive (a heartbeat, a detached socket): restart the mirror's time to live.</summary>
    void Touch(string sessionId);

    /// <summary>This node let the session go to claim <paramref name="claimId"/>, after its last <see cref="Append"/>.</summary>
    void Release(string sessionId, Guid claimId);

    /// <summary>This node took the session over by claim <paramref name="claimId"/>; it appends from now on.</summary>
    void Adopt(string sessionId, Guid claimId);

    /// <summary>The session ended for good on this node (expired, credential revoked, evicted).</summary>
    void Delete(string sessionId);

    /// <summary>The mirrored session's owner and last <c>s</c>, to refuse early; null when there is none.</summary>
    Task<MirroredSessionHeader?> ReadAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the session from the node holding it: waits until that node released it (or is known dead, or
    /// <see cref="GatewayMirrorLimits.ResumeHandoffTimeout"/> passed) and returns the mirrored dispatches. The caller
    /// must have registered its own copy of the session first, so that it receives every event from the claim on.
    /// </summary>
    Task<GatewayClaimResult> ClaimAsync(string sessionId, Guid claimId, CancellationToken cancellationToken);
}
