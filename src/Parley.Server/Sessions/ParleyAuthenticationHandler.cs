using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Parley.Server.HostIdentity;
using Parley.Server.ServerApi;

namespace Parley.Server.Sessions;

/// <summary>
/// Authenticates an HTTP API request by its session cookie or API token (see <see cref="RequestCredentials"/>).
/// Failures answer 401/403 with the API's <c>{"message"}</c> body. The default scheme: it forwards a request with a host
/// JWT to the JwtBearer scheme, and every <c>/api/server/*</c> request to the server-key scheme (<see cref="SelectScheme"/>).
/// </summary>
public sealed class ParleyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    RequestCredentials credentials)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Parley";

    /// <summary>
    /// Which scheme handles the request, or null for this one. The server API takes only server keys (a user's cookie or
    /// token is no server key there), and a server key reaches no other route's scheme.
    /// </summary>
    public static string? SelectScheme(HttpContext context, bool jwtEnabled)
    {
        if (context.Request.Path.StartsWithSegments(ServerKeyAuthenticationHandler.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return ServerKeyAuthenticationHandler.SchemeName;
        }
        return jwtEnabled && HostIdentitySetup.HasBearerJwt(context.Request) ? JwtBearerDefaults.AuthenticationScheme : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = await credentials.AuthenticateAsync(Context, Context.RequestAborted);
        return user is null
            ? AuthenticateResult.NoResult()
            : AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Response.WriteAsJsonAsync(new { message = "Authentication required" });
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new { message = "Forbidden" });
    }
}
