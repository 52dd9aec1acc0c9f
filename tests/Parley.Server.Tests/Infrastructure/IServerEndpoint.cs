namespace Parley.Server.Tests.Infrastructure;

/// <summary>A running Parley node that clients can reach: in-process or a separate process.</summary>
public interface IServerEndpoint
{
    Uri BaseAddress { get; }
}

public static class ServerEndpointExtensions
{
    public static Uri WebSocketUri(this IServerEndpoint server, string path) => new($"ws://{server.BaseAddress.Authority}{path}");
}
