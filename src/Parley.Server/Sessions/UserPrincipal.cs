using System.Security.Claims;

namespace Parley.Server.Sessions;

/// <summary>
/// A principal that carries the <see cref="AuthenticatedUser"/> itself instead of claims. A socket's request
/// holds its principal for the socket's whole life, and the claims (four of them, their strings, an identity)
/// would only ever be read back once into the user; this costs a fraction of that. It has no identity:
/// use it only where <see cref="AuthenticatedUser.From"/> reads the user, not for the HTTP API's authorization.
/// </summary>
public sealed class UserPrincipal(AuthenticatedUser user) : ClaimsPrincipal
{
    public AuthenticatedUser User { get; } = user;
}
