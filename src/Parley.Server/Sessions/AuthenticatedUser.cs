using System.Globalization;
using System.Security.Claims;

namespace Parley.Server.Sessions;

/// <summary>The caller as the authentication handler established it.</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Username.</param>
/// <param name="Role">Profile role (a label, not a privilege).</param>
/// <param name="CredentialHash">Stored hash of the session id or API token that authenticated the request.</param>
public sealed record AuthenticatedUser(long Id, string Username, string Role, string CredentialHash)
{
    public const string CredentialClaim = "parley:credential";
    public const string RoleClaim = "parley:role";

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
        return new AuthenticatedUser(long.Parse(id, CultureInfo.InvariantCulture), name, principal.FindFirstValue(RoleClaim) ?? "student", credential);
    }

    public ClaimsPrincipal ToPrincipal(string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, Username),
                new Claim(RoleClaim, Role),
                new Claim(CredentialClaim, CredentialHash),
            ], scheme));
}
