using Microsoft.Extensions.Options;
using Parley.Server.Chat;
using Parley.Server.Http;
using Parley.Server.Sessions;
using Parley.Server.Storage;

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

    private static async Task<IResult> RegisterAsync(RegisterRequest? body, IChatStore store, PasswordHashing hashing, IOptions<AccountOptions> options, TimeProvider time)
    {
        if (!options.Value.AllowRegistration)
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden, "Registration is disabled on this server.");
        }
        if (body is null)
        {
            return ApiResults.BadRequest("A JSON body is required.");
        }
        var username = body.Username?.Trim();
        if (username is null || !UsernameRules.Pattern().IsMatch(username))
        {
            return ApiResults.BadRequest("username must be 3-32 letters, digits, '_', '.' or '-'.");
        }
        if (body.Password is null || body.Password.Length < options.Value.MinPasswordLength)
        {
            return ApiResults.BadRequest($"password must be at least {options.Value.MinPasswordLength} characters.");
        }
        if (body.Password.Length > AccountOptions.MaxPasswordLength)
        {
            return ApiResults.BadRequest($"password must be at most {AccountOptions.MaxPasswordLength} characters.");
        }
        var role = body.Role ?? "student";
        if (!UsernameRules.Roles.Contains(role))
        {
            return ApiResults.BadRequest("role must be student, teacher or parent.");
        }
        var displayName = string.IsNullOrWhiteSpace(body.DisplayName) ? username : body.DisplayName.Trim();
        if (displayName.Length > UsernameRules.MaxDisplayNameLength)
        {
            return ApiResults.BadRequest($"displayName must be at most {UsernameRules.MaxDisplayNameLength} characters.");
        }
        try
        {
            var user = await store.CreateUserAsync(username, displayName, role, hashing.Hash(body.Password), time.GetUtcNow().UtcDateTime);
            return Results.Json(UserView.From(user), statusCode: StatusCodes.Status201Created);
        }
        catch (DuplicateUsernameException)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "Username already taken.");
        }
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest? body, HttpContext context, IChatStore store, PasswordHashing hashing, LoginThrottle throttle,
        SessionService sessions, IOptions<LoginSessionOptions> sessionOptions)
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
        var user = await store.FindUserByUsernameAsync(username);
        if (!hashing.Verify(user?.PasswordHash, password, out var rehash) || user is null)
        {
            throttle.RecordFailure(username, address);
            return InvalidCredentials();
        }
        throttle.RecordSuccess(username, address);
        if (rehash)
        {
            await store.UpdatePasswordHashAsync(user.Id, hashing.Hash(password));
        }
        // A new session id at every login (no session fixation); a previous cookie's session ends.
        if (context.Request.Cookies.TryGetValue(sessionOptions.Value.CookieName, out var previous) && !string.IsNullOrEmpty(previous))
        {
            await sessions.EndSessionAsync(SecretTokens.Hash(previous));
        }
        SessionCookie.Append(context, sessionOptions.Value, await sessions.CreateSessionAsync(user.Id));
        return Results.Ok(UserView.From(user));
    }

    private static IResult InvalidCredentials() => ApiResults.Error(StatusCodes.Status401Unauthorized, "Invalid credentials");

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionService sessions, IOptions<LoginSessionOptions> sessionOptions)
    {
        await sessions.EndSessionAsync(context.CurrentUser().CredentialHash);
        SessionCookie.Delete(context, sessionOptions.Value);
        return Results.Ok(new ApiMessage("Logged out"));
    }

    private static async Task<IResult> MeAsync(HttpContext context, IChatStore store)
    {
        var user = await store.GetUserAsync(context.CurrentUser().Id);
        return user is null ? ApiResults.Unauthorized() : Results.Ok(UserView.From(user));
    }

    /// <summary><c>?query=&amp;limit=&amp;cursor=</c>: people the caller shares a workspace with, by name (<see cref="UserDirectory"/>).</summary>
    private static async Task<IResult> SearchUsersAsync(HttpContext context, UserDirectory directory, IOptions<ChatOptions> options)
    {
        if (!ApiPaging.TryRead(context, options.Value, out var page, out var bad))
        {
            return bad!;
        }
        var result = await directory.SearchAsync(context.CurrentUser().Id, context.Request.Query["query"].ToString(), page);
        return result.IsSuccess ? ApiPaging.Ok(context, page, result.Value!, UserView.From) : ApiResults.From(context, result.Error!);
    }

    private static async Task<IResult> CreateTokenAsync(CreateTokenRequest? body, HttpContext context, SessionService sessions)
    {
        var name = string.IsNullOrWhiteSpace(body?.Name) ? "api token" : body.Name.Trim();
        if (name.Length > 80)
        {
            return ApiResults.BadRequest("name must be at most 80 characters.");
        }
        var (record, token) = await sessions.CreateApiTokenAsync(context.CurrentUser().Id, name);
        return Results.Json(new ApiTokenView(record.Id, record.Name, record.CreatedAt, token), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListTokensAsync(HttpContext context, IChatStore store) =>
        Results.Ok((await store.ListApiTokensAsync(context.CurrentUser().Id)).Select(t => new ApiTokenView(t.Id, t.Name, t.CreatedAt, null)));

    private static async Task<IResult> RevokeTokenAsync(long id, HttpContext context, SessionService sessions) =>
        await sessions.RevokeApiTokenAsync(context.CurrentUser().Id, id) ? Results.NoContent() : ApiResults.NotFound("Token not found.");
}
