using Parley.Server.Sessions;

namespace Parley.Server.Http;

/// <summary>The authenticated caller of an endpoint that requires authorization.</summary>
public static class HttpContextUser
{
    public static AuthenticatedUser CurrentUser(this HttpContext context) =>
        AuthenticatedUser.From(context.User) ?? throw new InvalidOperationException("The endpoint requires authorization.");
}
