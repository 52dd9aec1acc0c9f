using Parley.Server.Sessions;

namespace Parley.Server.Realtime;

/// <summary>
/// Maps the socket protocols and runs their requests. A socket keeps its request, and the frame of every
/// middleware that awaits it, for the socket's whole life: the HTTP API's pipeline would keep an
/// authentication ticket with its claims, a DI scope and the authentication and authorization frames per
/// idle socket (about 3 KB), so socket requests take a short pipeline of their own (see
/// <see cref="RealtimeSetup.UseParleySockets"/>) and authenticate here, keeping only the user.
/// </summary>
public sealed class SocketEndpoints(SocketHost host, RequestCredentials credentials)
{
    public void Map(IEndpointRouteBuilder routes, string pattern, ISocketProtocol protocol) =>
        routes.Map(pattern, context => RunAsync(context, protocol)).WithMetadata(SocketEndpointMetadata.Instance);

    /// <summary>True when routing chose a socket endpoint for the request.</summary>
    public static bool IsSocketRequest(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<SocketEndpointMetadata>() is not null;

    private async Task RunAsync(HttpContext context, ISocketProtocol protocol)
    {
        if (await credentials.AuthenticateUncachedAsync(context, context.RequestAborted) is { } user)
        {
            context.User = new UserPrincipal(user);
        }
        await host.RunAsync(context, protocol);
    }

    private sealed class SocketEndpointMetadata
    {
        public static readonly SocketEndpointMetadata Instance = new();
    }
}
