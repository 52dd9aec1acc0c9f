using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Parley.Server.HostIdentity;

namespace Parley.Server.Sessions;

/// <summary>
/// Finds the user of a request from its session cookie, or from an API token in <c>Authorization: Bearer</c>
/// or <c>?token=</c> (browsers cannot set headers on a WebSocket upgrade). The one place that reads
/// credentials, for the HTTP API's authentication handler and for socket upgrades alike. A socket upgrade may
/// also carry a host JWT (<c>?access_token=</c> or the header) when <see cref="JwtOptions"/> turns them on; on HTTP
/// the authentication handler forwards those to the JwtBearer scheme before this is asked.
/// </summary>
public sealed class RequestCredentials(
    SessionService sessions,
    IOptions<LoginSessionOptions> options,
    IOptions<JwtOptions> jwtOptions,
    SocketJwtAuthenticator jwt)
{
    private const string AccessTokenParameter = "access_token";

    private readonly LoginSessionOptions _options = options.Value;
    private readonly bool _jwtEnabled = jwtOptions.Value.Enabled;

    /// <summary>The request's user, or null; slides the session cookie when the session was extended.</summary>
    public Task<AuthenticatedUser?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken) =>
        AuthenticateAsync(context, context.Request.Cookies, context.Request.Query, cancellationToken);

    /// <summary>
    /// As <see cref="AuthenticateAsync(HttpContext, CancellationToken)"/>, but parses the cookies and the query without caching
    /// them on the request: a socket keeps its request for hours, and nothing after the upgrade reads them.
    /// </summary>
    public async Task<AuthenticatedUser?> AuthenticateUncachedAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var query = new QueryFeature(context.Features).Query;
        if (_jwtEnabled && SocketJwt(context.Request, query) is { } token)
        {
            return await jwt.AuthenticateAsync(context, token);
        }
        return await AuthenticateAsync(context, new RequestCookiesFeature(context.Features).Cookies, query, cancellationToken);
    }

    private static string? SocketJwt(HttpRequest request, IQueryCollection query)
    {
        if (HostIdentitySetup.HasBearerJwt(request))
        {
            return request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        }
        var token = query[AccessTokenParameter].ToString();
        return string.IsNullOrEmpty(token) ? null : token;
    }

    private async Task<AuthenticatedUser?> AuthenticateAsync(HttpContext context, IRequestCookieCollection cookies, IQueryCollection query, CancellationToken cancellationToken)
    {
        AuthenticatedUser? user = null;
        if (cookies.TryGetValue(_options.CookieName, out var sessionId) && !string.IsNullOrEmpty(sessionId))
        {
            (user, var extended) = await sessions.ValidateSessionAsync(sessionId, cancellationToken);
            if (extended)
            {
                // Slide the cookie with the server-side expiry, so an active user stays logged in.
                SessionCookie.Append(context, _options, sessionId);
            }
        }
        if (user is null && BearerToken(context.Request, query) is { } token)
        {
            user = await sessions.ValidateApiTokenAsync(token, cancellationToken);
        }
        return user;
    }

    private static string? BearerToken(HttpRequest request, IQueryCollection query)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        var token = query["token"].ToString();
        return string.IsNullOrEmpty(token) ? null : token;
    }
}
