using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Parley.Server.Sessions;

/// <summary>
/// Authenticates a request from the session cookie, or from an API token in
/// <c>Authorization: Bearer</c> or <c>?token=</c> (browsers cannot set headers on a WebSocket upgrade).
/// Failures answer 401/403 with the API's <c>{"message"}</c> body.
/// </summary>
public sealed class ParleyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionService sessions,
    IOptions<LoginSessionOptions> sessionOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Parley";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        AuthenticatedUser? user = null;
        if (Request.Cookies.TryGetValue(sessionOptions.Value.CookieName, out var sessionId) && !string.IsNullOrEmpty(sessionId))
        {
            (user, var extended) = await sessions.ValidateSessionAsync(sessionId);
            if (extended)
            {
                // Slide the cookie with the server-side expiry, so an active user stays logged in.
                SessionCookie.Append(Context, sessionOptions.Value, sessionId);
            }
        }
        if (user is null && BearerToken() is { } token)
        {
            user = await sessions.ValidateApiTokenAsync(token);
        }
        return user is null
            ? AuthenticateResult.NoResult()
            : AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(SchemeName), SchemeName));
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        var query = Request.Query["token"].ToString();
        return string.IsNullOrEmpty(query) ? null : query;
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
