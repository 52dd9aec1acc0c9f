using Parley.Server.Fanout;

namespace Parley.Server.Realtime.Direct;

/// <summary>A bus event for DM users and the <c>/messagepal</c> sockets it goes to, chosen when it was published.</summary>
internal sealed record DirectDelivery(ChatEvent Event, SocketConnection[] Sockets);
