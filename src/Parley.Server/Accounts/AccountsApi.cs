using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Http;
using Parley.Server.Sessions;

namespace Parley.Server.Accounts;

/// <summary>Registration, login, logout, the current user and API tokens.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/auth");
        auth.MapPost("/register", RegisterAsync).Produces<UserView>(StatusCodes.Status201Created);
        auth.MapPost("/login", LoginAsync).Produces<UserView>();
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().Produces<ApiMessage>();
        auth.MapGet("/me", MeAsync).RequireAuthorization().Produces<UserView>();
        auth.MapPost("/tokens", CreateTokenAsync).RequireAuthorization().Produces<ApiTokenView>(StatusCodes.Status201Created);
        auth.MapGet("/tokens", ListTokensAsync).RequireAuthorization().Produces<ApiTokenView[]>();
        auth.MapDelete("/tokens/{id:long}", RevokeTokenAsync).RequireAuthorization().Produces(StatusCodes.Status204NoContent);
        routes.MapGet("/api/users/me", MeAsync).RequireAuthorization().Produces<UserView>();
        routes.MapGet("/api/users", SearchUsersAsync).RequireAuthorization().Produces<UserView[]>();
        return routes;
    }

    private static async Task<IResult> RegisterAsync(RegisterRequest? body, HttpContext context, AccountService accounts, CancellationToken cancellationToken)
    {
        var registered = await accounts.RegisterAsync(body, cancellationToken);
        return registered.IsSuccess
            ? Results.Json(UserView.From(registered.Value!), statusCode: StatusCodes.Status201Created)
            : ApiResults.From(context, registered.Error!);
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest? body, HttpContext context, AccountService accounts, LoginThrottle throttle,
        SessionService sessions, IOptions<LoginSessionOptions> sessionOptions, CancellationToken cancellationToken)
    {
        if (body?.Username is not { Length: > 0 } username || body.Password is not { Length: > 0 } password)
        {
            return ApiResults.BadRequest("username and password are required.");
        }
        // No account can have such a name or password (registration refuses them), so the answer costs
        // nothing: no throttle entry, no store lookup, no hashing.
        if (username.Length > UsernameRules.MaxLength || password.Length > AccountOptions.MaxPasswordLength || !UsernameRules.Pattern().IsMatch(username))
        {
            return InvalidCredentials();
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(username, address) is { } wait)
        {
            return ApiResults.TooManyRequests(context, wait, "Too many failed logins. Try again later.");
        }
        if (await accounts.VerifyPasswordAsync(username, password, cancellationToken) is not { } user)
        {
            throttle.RecordFailure(username, address);
            return InvalidCredentials();
        }
        throttle.RecordSuccess(username, address);
        // A new session id at every login (no session fixation); a previous cookie's session ends.
        if (context.Request.Cookies.TryGetValue(sessionOptions.Value.CookieName, out var previous) && !string.IsNullOrEmpty(previous))
        {
            await sessions.EndSessionAsync(SecretTokens.Hash(previous), cancellationToken);
        }
        SessionCookie.Append(context, sessionOptions.Value, await sessions.CreateSessionAsync(user.Id, cancellationToken));
        return Results.Ok(UserView.From(user));
    }

    private static IResult InvalidCredentials() => ApiResults.Error(StatusCodes.Status401Unauthorized, "Invalid credentials");

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionService sessions, IOptions<LoginSessionOptions> sessionOptions, CancellationToken cancellationToken)
    {
        await sessions.EndSessionAsync(context.CurrentUser().CredentialHash, cancellationToken);
        SessionCookie.Delete(context, sessionOptions.Value);
        return Results.Ok(new ApiMessage("Logged out"));
    }

    private static async Task<IResult> MeAsync(HttpContext context, AccountService accounts, CancellationToken cancellationToken)
    {
        var user = await accounts.GetUserAsync(context.CurrentUser().Id, cancellationToken);
        return user is null ? ApiResults.Unauthorized() : Results.Ok(UserView.From(user));
    }

    /// <summary><c>?query=&amp;limit=&amp;cursor=</c>: people the caller shares a workspace with, by name (<see cref="UserDirectory"/>).</summary>
    private static async Task<IResult> SearchUsersAsync(HttpContext context, UserDirectory directory, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await directory.SearchAsync(context.CurrentUser().Id, context.Request.Query["query"].ToString(), page, cancellationToken);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, UserView.From) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> CreateTokenAsync(CreateTokenRequest? body, HttpContext context, SessionService sessions, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(body?.Name) ? "api token" : body.Name.Trim();
        if (name.Length > 80)
        {
            return ApiResults.BadRequest("name must be at most 80 characters.");
        }
        var (record, token) = await sessions.CreateApiTokenAsync(context.CurrentUser().Id, name, cancellationToken);
        return Results.Json(new ApiTokenView(record.Id, record.Name, record.CreatedAt, token), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListTokensAsync(HttpContext context, SessionService sessions, CancellationToken cancellationToken) =>
        Results.Ok((await sessions.ListApiTokensAsync(context.CurrentUser().Id, cancellationToken)).Select(t => new ApiTokenView(t.Id, t.Name, t.CreatedAt, null)));

    private static async Task<IResult> RevokeTokenAsync(long id, HttpContext context, SessionService sessions, CancellationToken cancellationToken) =>
        await sessions.RevokeApiTokenAsync(context.CurrentUser().Id, id, cancellationToken) ? Results.NoContent() : ApiResults.NotFound("Token not found.");
}
