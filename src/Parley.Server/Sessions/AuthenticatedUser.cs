using System.Globalization;
using System.Security.Claims;

namespace Parley.Server.Sessions;

/// <summary>The caller as the authentication handler established it.</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Username.</param>
/// <param name="Role">Profile role (a label, not a privilege).</param>
/// <param name="CredentialHash">
/// Stored hash of the session id or API token that authenticated the request; for a host JWT, the user's host
/// credential (<see cref="SessionService.HostCredential"/>), which a logout everywhere revokes.
/// </param>
/// <param name="ExpiresAt">When the credential stops being accepted: a host JWT's <c>exp</c> (plus the allowed clock skew); null for sessions and API tokens.</param>
public sealed record AuthenticatedUser(long Id, string Username, string Role, string CredentialHash, DateTimeOffset? ExpiresAt = null)
{
    public const string CredentialClaim = "parley:credential";
    public const string RoleClaim = "parley:role";
    public const string ExpiresClaim = "parley:expires";

    public static AuthenticatedUser? From(ClaimsPrincipal principal)
    {
        if (principal is UserPrincipal { User: var user })
        {
            return user;
        }
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.FindFirstValue(ClaimTypes.Name);
        var credential = principal.FindFirstValue(CredentialClaim);
        if (id is null || name is null || credential is null)
        {
            return null;
        }
        DateTimeOffset? expiresAt = principal.FindFirstValue(ExpiresClaim) is { } expires
            ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(expires, CultureInfo.InvariantCulture))
            : null;
        return new AuthenticatedUser(long.Parse(id, CultureInfo.InvariantCulture), name, principal.FindFirstValue(RoleClaim) ?? "student", credential, expiresAt);
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, Username),
            new Claim(RoleClaim, Role),
            new Claim(CredentialClaim, CredentialHash),
        ];
        if (ExpiresAt is { } expiresAt)
        {
            claims.Add(new Claim(ExpiresClaim, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        }
        return new(new ClaimsIdentity(claims, scheme));
    }
}
