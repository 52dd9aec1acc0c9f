using Parley.Server.Fanout;

namespace Parley.Server.Sessions;

/// <summary>Closes this node's sockets of a revoked credential, whichever node revoked it.</summary>
public sealed class RevocationListener(CredentialRevocations revocations) : IChatEventListener
{
    public void OnEvent(ChatEvent chatEvent)
    {
        if (chatEvent is CredentialRevoked revoked)
        {
            revocations.Revoke(revoked.CredentialHash);
        }
    }
}
