using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Parley.Server.ServerApi;

/// <summary>
/// Authenticates the host's backend on <c>/api/server/*</c> by a server key in <c>Authorization: Bearer</c>. The only
/// scheme those routes accept, and accepted nowhere else: a server key is no user credential, and a user's session or
/// token is no server key.
/// </summary>
public sealed class ServerKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ServerKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ParleyServer";
    public const string PolicyName = "ParleyServerApi";
    public const string PathPrefix = "/api/server";

    /// <summary>The claim that carries the key's name (for logs).</summary>
    public const string KeyNameClaim = "parley:server-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var name = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? keys.Find(header["Bearer ".Length..].Trim()) : null;
        if (name is null)
        {
            ServerApiLog.KeyRefused(Logger, Request.Path, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail("No valid server key."));
        }
        ServerApiLog.Request(Logger, name, Request.Method, Request.Path);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KeyNameClaim, name)], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Response.WriteAsJsonAsync(new { message = "A valid server key is required." });
    }
}
