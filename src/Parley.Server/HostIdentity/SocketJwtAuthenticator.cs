using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features;
using Parley.Server.Sessions;

namespace Parley.Server.HostIdentity;

/// <summary>
/// Authenticates a socket upgrade's host JWT with the same JwtBearer handler (and so the same rules) as the HTTP API.
/// </summary>
/// <remarks>
/// The handler comes from the request's DI scope, and a socket keeps its request for hours: using the request's own
/// scope would keep one alive per socket (see <see cref="Realtime.SocketEndpoints"/>). So the handler runs in a scope
/// of its own, disposed as soon as the user is known; only the <see cref="AuthenticatedUser"/> stays.
/// </remarks>
public sealed class SocketJwtAuthenticator(IServiceScopeFactory scopes)
{
    public async Task<AuthenticatedUser?> AuthenticateAsync(HttpContext context, string token)
    {
        var features = context.Features;
        var requestServices = features.Get<IServiceProvidersFeature>();
        await using var scope = scopes.CreateAsyncScope();
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = scope.ServiceProvider });
        features.Set(new SocketAccessTokenFeature(token));
        try
        {
            var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            return result.Succeeded ? AuthenticatedUser.From(result.Principal) : null;
        }
        finally
        {
            features.Set<SocketAccessTokenFeature>(null);
            features.Set(requestServices);
        }
    }
}
