using Microsoft.AspNetCore.SignalR;

namespace SignalRHub;

/// <summary>Joins a group and broadcasts a payload to every member of it, the sender included (as Parley echoes).</summary>
public sealed class BroadcastHub : Hub
{
    public Task JoinGroup(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Send(string group, string payload) => Clients.Group(group).SendAsync("m", payload);
}
