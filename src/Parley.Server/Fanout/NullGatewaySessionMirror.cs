namespace Parley.Server.Fanout;

/// <summary>A single node mirrors nothing: a session resumes only on the node that holds it.</summary>
internal sealed class NullGatewaySessionMirror : IGatewaySessionMirror
{
    public bool Enabled => false;

    public void Open(string sessionId, long userId, string credentialHash)
    {
    }

    public void Append(string sessionId, long seq, MirroredDispatch dispatch)
    {
    }

    public void Touch(string sessionId)
    {
    }

    public void Release(string sessionId, Guid claimId)
    {
    }

    public void Adopt(string sessionId, Guid claimId)
    {
    }

    public void Delete(string sessionId)
    {
    }

    public Task<MirroredSessionHeader?> ReadAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult<MirroredSessionHeader?>(null);

    public Task<GatewayClaimResult> ClaimAsync(string sessionId, Guid claimId, CancellationToken cancellationToken) =>
        Task.FromResult(GatewayClaimResult.Refused("unknown session"));
}
