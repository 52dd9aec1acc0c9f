using Parley.Protocol;
using Parley.Server.Fanout;

namespace Parley.Server.Realtime;

/// <summary>Closes this node's sockets of a user the host's backend disconnected (4010), whichever node it asked.</summary>
public sealed class UserDisconnectListener(ConnectionRegistry registry) : IChatEventListener
{
    public void OnEvent(ChatEvent chatEvent)
    {
        if (chatEvent is UserDisconnected disconnected)
        {
            foreach (var connection in registry.OfUser(disconnected.UserId))
            {
                connection.Close(CloseCodes.DisconnectedByServer, "Disconnected by the server");
            }
        }
    }
}
